"""Backups: the file format and its rules, restoring, merging, exports and erasing."""
