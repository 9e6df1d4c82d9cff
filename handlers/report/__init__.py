"""The monthly report (báo cáo tháng): the form as data, typed answers, the flow, its commands."""
