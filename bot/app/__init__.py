"""The app: what assembles the handlers into a running bot (handlers never import it).

`assembly` builds the engine and starts and stops every component; `wiring` builds the chat
channels from settings; `scheduler` ticks the due checks, `outbox` sends what they queued;
`web` is the one aiohttp server (health, webhooks, signed links); `channels` (Telegram, Zalo,
console), `cli` (the `chidoan-bot` command) and `demo` (the console's demo organisation).
"""
