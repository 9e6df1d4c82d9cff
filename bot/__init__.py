"""chidoan-bot's kernel — what handlers build on — and, in `bot.app`, the app that runs them.

Kernel: `engine` (Incoming/Reply, the engine, routers, context, text folding), `config`,
`clock`, `i18n` (messages, numbers, dates, plurals), `periods`, `media`, `orgfile`. The kernel
never imports `handlers` or `bot.app`; `handlers` never import `bot.app`.
"""
