"""Small units written for the tests, in the 2004 care layouts: as a careful paste (markdown
bullets, tabs) and as text extracted from a PDF (bullets as "•", wrapped lines, split headings,
numbers on their own lines, words hyphenated at line ends, no tabs)."""

CARE = """HSC24 Ensure your own actions support the care, protection and well-being of individuals

Elements of Competence

HSC24a\tRelate to and support individuals in the way they choose
HSC24b\tTreat people with respect and dignity

About this unit¹

This unit is about how you relate to and support individuals.

Scope

The scope is here to give you guidance on possible areas to be covered in this unit.

Communicate using: the individual's preferred spoken language; signs; pictures.

Key people include: family; friends; carers.

Your **knowledge and understanding** for this unit will relate to your role.

Key Words and Concepts

This section provides explanations of the key words used in this unit.

Individuals\tThe actual people requiring health and care services
Key people\tThose people who are key to an individual's well-being

¹ The term 'unit' is used to refer to each separate standard

HSC24a Relate to and support individuals in the way they choose

Performance Criteria

You need to show that,

1. you support **individuals** to communicate:
 - their preferences
 - their needs
2. you respect the wishes of **key people**

HSC24b Treat people with respect and dignity

Performance Criteria

You need to show that,

1. you treat individuals with respect
2. you seek support when you cannot meet the individual's wishes

Knowledge Specification for the whole of this unit

Competent practice is a combination of skills and knowledge.

You need to show that you know, understand and can apply in practice:

Values

1. legal requirements on equality and diversity
2. how to support individuals to make choices

Theory and practice

3. theories about:
 - human growth and development
 - identity and self-esteem
4. how to report concerns
"""

CARE_FROM_PDF = """HSC24 Ensure your own actions support the care, protection and well-being of
individuals
Elements of Competence
HSC24a Relate to and support individuals in the way they choose
HSC24b Treat people with respect and dignity
About this unit
This unit is about how you relate to and support indi-
viduals.
Scope
The scope is here to give you guidance on possible areas to be covered in this unit.
Communicate using: the individual's preferred spoken language; signs;
pictures.
Key people include: family; friends; carers.
Your **knowledge and understanding** for this unit will relate to your role.
Key Words and
Concepts
This section provides explanations of the key words used in this unit.
Individuals
The actual people requiring health and care services
Key people Those people who are key to an individual's well-being
HSC24a Relate to and support individuals in the way they
choose
Performance
Criteria
You need to show that,
1.
you support **individuals** to communicate:
• their preferences
• their needs
2. you respect the wishes of
**key people**
HSC24b Treat people with respect and dignity
Performance Criteria
You need to show that,
1. you treat individuals with respect
2. you seek support when you cannot meet the individual's wishes
Knowledge Specification for the whole of
this unit
Competent practice is a combination of skills and knowledge.
You need to show that you know, understand and can apply in practice:
Values
1. legal requirements on equality and diversity
2. how to support individuals to make choices
Theory and practice
3. theories about:
– human growth and
development
– identity and self-esteem
4. how to report concerns
"""

SQA = """F5BE 04 (HSC41) Contribute to the safety and protection of individuals

About this Unit

This Unit is for workers who contribute to protecting individuals from danger, harm and abuse.

Scope

The scope is here to give you guidance on possible areas to be covered in this Unit.

Danger could be: imminent; in the short term; in the longer term.

HSC41.1 Contribute to the identification of the risk of danger to individuals

Performance Criteria

You need to show that,

1. you identify the signs of danger
2. you report signs of danger:
 - to your line manager
 - in the records

HSC41.2 Contribute to the protection of individuals from danger, harm and abuse

Performance Criteria

You need to show that,

1. you act within your own role to protect individuals

Knowledge Specification for the whole of this Unit

You need to show that you know, understand and can apply in practice:

1. legal requirements on protecting individuals from danger
2. how to report concerns
"""
