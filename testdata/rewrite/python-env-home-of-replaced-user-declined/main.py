import os
os.makedirs(os.path.expanduser('~/.cache/yt-dlp'), exist_ok=True)
