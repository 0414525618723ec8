"""Units imported from their published text (issue 14).

`parsed.ParsedUnit` is what every layout's parser gives: the unit's words as published, with
only unambiguous artefacts of PDF extraction repaired, and every warning a person should read
before importing it. Parsers never touch the database; the writer does, in one transaction.
"""
