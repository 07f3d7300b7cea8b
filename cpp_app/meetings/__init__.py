"""Community meetings: the log, languages and interpreters, and the feedback heard."""
