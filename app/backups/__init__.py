"""Backups that can be restored: `flask backup create DIR` and `flask backup restore DIR` (`make backup`,
`make restore`): a consistent database dump, the photos with their checksums, the keys sealed with a passphrase."""
