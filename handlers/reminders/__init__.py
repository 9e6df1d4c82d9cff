"""Nhắc nộp báo cáo: reminders before and after the deadline, and the admin's /nhacnho.

`deadlines` says when each reminder of a period is due (from config alone), `scheduled` is the
scheduler's due check, `command` the admin's preview-then-send.
"""
