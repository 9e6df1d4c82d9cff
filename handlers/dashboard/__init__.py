"""The district dashboard (bảng điều khiển): signed links, the command that sends them, the page's
figures. The web page itself is served by bot/app/dashboard."""
