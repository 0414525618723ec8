"""The words generated people and evidence are made of: names, titles, accounts, feedback, and how
often each assessment method is used."""

from portfolio.models import AssessmentMethod

FIRST_NAMES = (
    "Aisha", "Alfie", "Amelia", "Amir", "Ava", "Ben", "Bethan", "Callum", "Chloe", "Connor", "Daisy",
    "Daniel", "Eilidh", "Ella", "Emeka", "Erin", "Ewan", "Fatima", "Finley", "Freya", "George", "Grace",
    "Hannah", "Harry", "Imran", "Isla", "Jack", "Jasmine", "Joshua", "Kasia", "Keira", "Liam", "Lily",
    "Lucy", "Mason", "Megan", "Mia", "Mohammed", "Niamh", "Noah", "Olivia", "Oscar", "Priya", "Rhys",
    "Rosie", "Ruby", "Ryan", "Samira", "Sophie", "Thomas", "Tomasz", "Zara",
)
LAST_NAMES = (
    "Ahmed", "Allen", "Bailey", "Baker", "Begum", "Brown", "Campbell", "Clarke", "Davies", "Edwards",
    "Evans", "Fraser", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones",
    "Kaur", "Khan", "Kowalski", "Lewis", "MacDonald", "Martin", "Morgan", "Murphy", "Murray", "Nowak",
    "O'Brien", "Okafor", "Owen", "Patel", "Price", "Roberts", "Robertson", "Robinson", "Scott", "Shah",
    "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Walker", "Watson", "White", "Williams",
    "Wilson", "Wood", "Wright", "Young",
)

# Evidence from care settings never identifies the people cared for: "Person A", "a tenant".
PEOPLE_SUPPORTED = ("Person A", "Person B", "Person C", "Person D", "Person E", "Person F")
RELATIONS = ("their sister", "their son", "their daughter", "an old friend", "their grandchildren", "a neighbour")
GROUPS = ("lunch club", "gardening group", "community choir", "coffee morning", "faith group", "walking group")
TITLES = {
    "HSC331": (
        "Supporting {person} to visit {relation}",
        "Helping {person} join a {group}",
        "Social network map with {person}",
        "Care plan review: relationships that matter to {person}",
        "Supporting {person} to keep in touch with {relation} by video call",
        "Planning a birthday gathering with {person}",
        "Supporting {person} when a friendship ended",
        "Explaining {person}'s rights to choose who visits",
        "Recording {person}'s wishes about family contact",
        "Introducing {person} to the {group}",
        "Raising a concern about a visitor to {person}",
        "Supporting {person} to send cards to {relation}",
    ),
    "H3 25": (
        "Agreeing contact arrangements with a tenant",
        "Handling a complaint about a repair delay",
        "Explaining my role at a sign-up visit",
        "Referring a tenant to debt advice",
        "Declining a gift from a tenant",
        "Keeping professional boundaries on a home visit",
        "Setting boundaries with an angry caller",
        "Recording a conversation on the housing system",
        "Passing on a safeguarding concern to my manager",
        "Explaining what I can and cannot help with",
        "Ending a visit when a tenant asked for personal help",
        "Agreeing a plan with a tenant and their support worker",
    ),
}
TITLE_PREFIX = {
    AssessmentMethod.DIRECT_OBSERVATION: "Observation: ",
    AssessmentMethod.WITNESS_TESTIMONY: "Witness testimony: ",
    AssessmentMethod.EXPERT_WITNESS: "Expert witness testimony: ",
    AssessmentMethod.PROFESSIONAL_DISCUSSION: "Professional discussion: ",
    AssessmentMethod.QUESTIONING: "Questions and answers: ",
    AssessmentMethod.PRIOR_LEARNING: "Prior learning: ",
}
LOCATIONS = (
    "Day centre lounge", "Residential home", "Supported living flat", "Community centre", "Housing office",
    "Tenant's home", "Phone call from the office", "Person's own home", "Sheltered housing scheme",
)
ACCOUNT_SENTENCES = (
    "I asked {person} what they wanted from the day and wrote down what they said.",
    "We talked about the people who matter to them and how often they would like to see them.",
    "I checked the care plan first so that I knew what had been agreed before.",
    "I made sure we could talk in private and that {person} could stop at any time.",
    "Afterwards I recorded what happened and what we agreed, and told my manager.",
    "I explained what I could help with and what I would need to pass on to someone else.",
    "I kept to the arrangements we had agreed and explained why when I was asked to do more.",
    "{person} was anxious at first, so I went at their pace and offered to come back another day.",
    "I followed the organisation's policy on confidentiality and did not share personal details.",
    "My manager watched part of the conversation and gave me feedback afterwards.",
    "I reflected on what went well and what I would do differently next time.",
)
FEEDBACK = (
    "Please say more about how you checked what the person wanted before you acted.",
    "The account does not show how you kept to the agreed boundaries: add what you said and did.",
    "Remove the surname on page 2: evidence must not identify the people you support.",
    "Add the date and who witnessed this, then submit it again.",
    "This shows the activity but not your own part in it: write it in the first person.",
)
# Roughly how often each method is used in a portfolio, as (method, weight).
METHOD_WEIGHTS = (
    (AssessmentMethod.REFLECTIVE_ACCOUNT, 34), (AssessmentMethod.DIRECT_OBSERVATION, 18),
    (AssessmentMethod.PRODUCT, 15), (AssessmentMethod.WITNESS_TESTIMONY, 10),
    (AssessmentMethod.PROFESSIONAL_DISCUSSION, 9), (AssessmentMethod.QUESTIONING, 8),
    (AssessmentMethod.EXPERT_WITNESS, 4), (AssessmentMethod.PRIOR_LEARNING, 2),
)
ASSESSORS_OWN = (AssessmentMethod.DIRECT_OBSERVATION, AssessmentMethod.QUESTIONING)
# Why a scope category does not apply to a candidate's work area, as an assessor writes it at sign-off.
NOT_APPLICABLE = {
    "Communicate": "Everyone the candidate supports speaks English and needs no aids to communication.",
    "Danger": "The candidate works in a day service where no one they support has been at risk of danger.",
    "Harm and abuse": "No one the candidate supports has been harmed or abused during the assessment.",
    "Key people": "The people the candidate supports have no family, friends or carers in contact with them.",
    "Risks": "No risks to people, property or the environment arose in the candidate's work during assessment.",
}
NOT_APPLICABLE_OTHERWISE = "This option does not arise in the candidate's work area."
