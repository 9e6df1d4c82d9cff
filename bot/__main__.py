"""`python -m bot` is `chidoan-bot`."""

import sys

from bot.app.cli import main

sys.exit(main())
