"""Community surveys: the builder, kinds of question, the public form in many languages, results."""
