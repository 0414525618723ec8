"""Standards in the current Skills for Care layout, written for the tests in the shape the UK
Standards site publishes them (SCDHSC0041-style): the clean text, and the same words as text
extraction from the PDF gives them."""

CLEAN = """SCDHSC0041
Maintain safety and security practices in health and social care

Overview
This standard identifies the requirements when you maintain safety and security practices in health and social care settings. This includes following organisational procedures for the safety and security of individuals, others and yourself, and acting on concerns.

Users of this standard will need to ensure that practice reflects up to date information and policies.

Performance criteria

Maintaining a safe and secure environment
You must be able to:
P1 work within your own level of competence, responsibility and accountability when following safety and security practices
P2 identify hazards and risks in the work setting and report them in line with organisational procedures
P3 challenge and confirm the right of entry of people to the work setting
P4 take prompt action in response to any security problems

Responding to accidents and incidents
You must be able to:
P5 follow your organisation's procedures when an accident or incident happens
P6 record and report accidents and incidents accurately, completely and legibly
P7 support individuals and others who are distressed by an incident, in a person-centred way

Knowledge and understanding

Rights
You need to know and understand:
K1 legal and work setting requirements on equality, diversity, discrimination and human rights
K2 your role in supporting the rights of individuals and others when maintaining safety and security

Your responsibilities
You need to know and understand:
K3 codes of practice, standards and guidance relevant to your role
K4 the limits of your own competence and authority
K5 the procedures for reporting concerns about safety and security, including:
• hazards in the work setting
• faulty equipment

Theory and practice
You need to know and understand:
K6 the types of accident and incident that may happen in the work setting
K7 why it is important to record accidents and incidents

Additional Information

Scope/range related to performance criteria
The details in this field are explanatory statements of scope and/or examples of possible contexts in which the NOS may apply; they are not to be regarded as range statements required for achievement of the NOS.
Hazards
• spillages
• trailing cables
• unsafe equipment
Accidents may be due to: falls; hazards in the environment; illness; frailty.

Scope/range related to knowledge and understanding
All knowledge statements must be applied in the context of this standard.
Legislation may include:
• health and safety legislation
• data protection legislation

Values
Adhere to and embed the values and behaviours set out in the codes of conduct for your sector.

Behaviours
• being open and honest
• treating people with dignity

Glossary
Hazard
is anything that could cause harm
Individual
is the person you support or care for in your work
Others
are your colleagues, visitors and the individual's key people

Links to other NOS
This standard links with SCDHSC0022 Support the health and safety of yourself and individuals.

Developed by Skills for Care
Version Number 3
Date Approved March 2021
Indicative Review Date March 2026
Validity Current
Status Original
Originating Organisation Skills for Care
Original URN SCDHSC0041
Relevant Occupations Health and Social Care; Care Workers; Senior Care Workers
Suite Health and Social Care
Keywords safety; security; hazards; accidents; incidents
SOC Code 6145
"""

# The same standard as pypdf and other extractors give it from the PDF: the title wrapped, the
# statements wrapped at the column's width, a group's numbers before its statements, page headers
# and footers in the middle of a list, headings split over lines or run into the column beside
# them, words divided at a line's end, the details table's labels split.
FROM_PDF = """SCDHSC0041
Maintain safety and security
practices in health and social care
Overview
This standard identifies the requirements when you maintain safety and security
practices in health and social care settings. This includes following organisa-
tional procedures for the safety and security of individuals, others and yourself,
and acting on concerns.
Users of this standard will need to ensure that practice reflects up to date
information and policies.
SCDHSC0041 Maintain safety and security practices in health and social care 1
Performance
criteria
Maintaining a safe and secure environment
You must be able to:
P1
P2
P3
P4
work within your own level of competence, responsibility and accountability
when following safety and security practices
identify hazards and risks in the work setting and report them in line with
organisational procedures
Page 2 of 4
SCDHSC0041
Maintain safety and security practices in health and social care
challenge and confirm the right of entry of people to the work setting
take prompt action in response to any security problems
Responding to accidents and incidents
You must be able to:
P5 follow your organisation's procedures when an accident or incident
happens
P6 record and report accidents and incidents accurately, completely and
legibly
P7 support individuals and others who are distressed by an incident, in a person-
centred way
Knowledge and
understanding Rights
You need to know and understand:
K1 legal and work setting requirements on equality, diversity, discrimination
and human rights
K2 your role in supporting the rights of individuals and others when
maintaining safety and security
Your responsibilities
You need to know and understand:
K3 codes of practice, standards and guidance relevant to your role
K4 the limits of your own competence and authority
SCDHSC0041 Maintain safety and security practices in health and social care 2
K5 the procedures for reporting concerns about safety and security,
including:
• hazards in the work setting
• faulty equipment
Theory and practice
You need to know and understand:
K6 the types of accident and incident that may happen in the work setting
K7 why it is important to record accidents and incidents
Additional
Information
Scope/range
related to
performance
criteria
The details in this field are explanatory statements of scope and/or examples
of possible contexts in which the NOS may apply; they are not to be regarded
as range statements required for achievement of the NOS.
Hazards
• spillages
• trailing cables
• unsafe equipment
Accidents may be due to: falls; hazards in the environment; illness; frailty.
Scope/range
related to
knowledge and
understanding
All knowledge statements must be applied in the context of this standard.
Legislation may include:
• health and safety legislation
• data protection legislation
Values Adhere to and embed the values and behaviours set out in the codes of
conduct for your sector.
Behaviours
• being open and honest
• treating people with dignity
SCDHSC0041 Maintain safety and security practices in health and social care 3
Glossary Hazard
is anything that could cause harm
Individual
is the person you support or care for in your work
Others
are your colleagues, visitors and the individual's key people
Links to
other NOS
This standard links with SCDHSC0022 Support the health and safety of
yourself and individuals.
Developed by Skills for Care
Version
Number
3
Date Approved March 2021
Indicative
Review Date
March 2026
Validity Current
Status Original
Originating
Organisation
Skills for Care
Original URN SCDHSC0041
Relevant
Occupations
Health and Social Care; Care Workers; Senior Care Workers
Suite Health and Social Care
Keywords safety; security; hazards; accidents; incidents
SOC Code 6145
SCDHSC0041 Maintain safety and security practices in health and social care 4
"""
