"""Reference knowledge read from outside sources: SIPRI trade registers, arms embargoes."""
