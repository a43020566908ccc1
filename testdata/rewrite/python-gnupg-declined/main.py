import gnupgngpg = gnupg.GPG(gnupghome="/tmp/gpg")nprint(gpg.list_keys())
