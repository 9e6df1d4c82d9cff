"""`python -m bot` is `chidoan-bot`."""

import sys

from bot.cli import main

sys.exit(main())
