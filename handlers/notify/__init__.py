"""Thông báo chủ động: the one way a proactive message is queued (see `notifier`)."""
