"""Pieces every area uses: database set-up, languages and time, security, errors."""
