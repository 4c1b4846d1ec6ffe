"""Safety triage: a person's own symptoms, medicines, pregnancy or conditions.

Runs before retrieval. A general question ("can it cause blisters?") is left
for the knowledge base to answer; a person telling us about themselves ("I
have blisters since my session", "I'm on warfarin") is handed to the clinic,
with urgent care first when the symptoms sound severe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from bot.defaults import SafetyWords
from bot.spelling import is_word
from bot.text import fold


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# One's own heart or pulse told as a statement of its own, with a verb ("my heart raced last night", "my pulse is
# racing", "my husband's heart keeps skipping beats", "I felt my heart pounding", "my heart hurts"): a symptom, and
# now. Only where a clause starts (after nothing, a stop or a comma, "and", "but", "because", "says" ...): never
# an occasion, a whether or a thing asked ("should I press the button AS SOON AS my heart starts racing", "will
# it show THAT my heart is irregular", "can it record HOW OFTEN my heart skips a beat"), nor what a test records
# ("it picks up my heart skipping beats": no verb of the heart's own).
_HEART = r"(?:heart|heartbeat|heart beat|heart rate|pulse)"
_HEART_DOES = (r"(?:rac(?:es|ed|ing)|pound(?:s|ed|ing)|flutter(?:s|ed|ing)|thump(?:s|ed|ing)|jump(?:s|ed|ing)|"
               r"hammer(?:s|ed|ing)|dropping|skip(?:s|ped|ping)(?: a)?(?: beats?)?|miss(?:es|ed|ing) (?:a )?beats?|"
               r"beat(?:s|ing)? (?:\w+ )?(?:fast|hard|irregularly|out of)|going (?:crazy|mad|like)|"
               r"(?:doing|does) (?:flips|somersaults)|feels? (?:funny|strange|weird|odd|like)|"
               r"(?:really |very |so )?(?:hurts|hurting|aches|aching|sore|painful)|"
               r"irregular|erratic|all over the place|through the roof|"
               r"(?:really |very |too |so )?(?:fast|high|slow|low|weak)|(?:over |under )?\d{2,3}(?! ?(?:percent|%)))")
_HEART_DID = (r"(?:races|raced|pounds|pounded|flutters|fluttered|thumps|thumped|jumps|jumped|skips|skipped|misses|"
              r"missed|(?:really |so )?(?:hurts|aches)|stopped|feels (?:funny|strange|weird|odd|like)|"
              r"beat (?:really |very |so )?(?:fast|hard)|"
              r"(?:goes|went|shoots|shot|dropped|drops|keeps dropping|keeps going) "
              r"(?:up |down )?(?:to |over |under )?(?:\d{2,3}|(?:really |very |so )?(?:fast|high|low|slow)))")
_HEART_ING = r"(?:racing|pounding|fluttering|thumping|skipping|hammering)"
# (not "and": "if I wake up AND my heart is racing" is still the occasion)
_STARTERS = ("but", "because", "cos", "coz", "help", "also", "now", "still", "again", "today", "tonight", "yesterday",
             "lately", "says", "said", "think", "ok", "hi", "hey", "please", "recently", "omg", "oh", "um", "well")
_CLAUSE_START = "".join(rf"(?<=\b{w} )|" for w in _STARTERS) + r"(?<=[.,;:!?] )|(?<=[.,;:!?])|(?<![\w,;:' ])"
_WHOSE = r"(?:my|me|his|her|their) (?:[\w-]+ ){0,3}?(?:[a-z]+'?s )?"
MY_HEART = ("(?:" + _CLAUSE_START + ")(?:" + _WHOSE + _HEART
            + r"(?:(?:'?s|s| is| was| has| had| has been| had been| keeps| kept| starts?| started| seems to be|"
            + r" seemed to be) (?:(?!normally|usually|about|around)\w+ ){0,2}?" + _HEART_DOES
            + "| " + _HEART_DID + "(?= |$)| " + _HEART_ING
            + r"(?= (?:again|all|tonight|today|this|since|for|on and off|constantly|every|non ?stop)))"
            + r"|(?:i |i've been |i have been |i keep |i kept )?(?:felt|feel|feeling|can feel|could feel) my "
            + _HEART + r" (?:rac|pound|flutter|thump|jump|skip|miss|hammer)\w*)")


# Not being able to pass urine: urgent at any clinic.
URINE_HELD = (r"(?:can'?t|cannot|can not|couldn'?t|could not|unable to|(?:haven'?t|have not|hasn'?t|has not) been "
              r"able to) (?:pass urine|pass water|pee|wee|urinate)")
# "my temperature is 38.5", "a temperature of 39": a fever, measured.
MEASURED_TEMPERATURE = (r"(?:temperature|temp) (?:is |was |of |has been |reached |hit |went up to |keeps going up to )?"
                        r"(?:about |around |over |above |nearly |almost |at least )?\d\d")
# "getting worse", "getting much worse"
WORSENING = r"getting (?:much |a lot |so |really |even |far )?worse"
# An illness of one's own before the day ("I've had a cold all week", "I've got flu"): told as one's own,
# never merely named ("is covid still a problem in hospitals?").
ILLNESS = (r"(?:a|the) (?:bad |heavy |nasty |chesty |head |stinking |streaming )?cold\b"
           r"(?! (?:pack|compress|water|drink)s?\b)|flu|covid\w*"
           r"|(?:a|the) (?:tummy |stomach |sickness |winter |chest )?(?:bug|virus)")
# No feeling: "I can't feel", and of a part of the body however put ("I can't really feel my bum", "I can
# barely feel my legs"), not of an effect ("I can't really feel any difference").
CANT_FEEL = (r"(?:can'?t|cannot|can not|unable to) feel"
             r"|(?:(?:can'?t|cannot|can not|unable to) (?:really|properly|quite|fully)|can (?:barely|hardly)) feel "
             r"(?:my |the |your )?(?:\w+ )?(?:bottom|bum|groin|genitals?|saddle|between my legs|inner thighs?|legs?|"
             r"feet|foot|toes?|fingers?|hands?|arms?|face|lips?|tongue|mouth|chin|cheeks?)\b")
# A fever, not an illness named for one ("hay fever", "yellow fever", "glandular fever").
FEVER_NAMES = ("hay", "yellow", "scarlet", "glandular", "dengue", "typhoid", "rheumatic", "lassa")
FEVER = "".join(rf"(?<!\b{name} )" for name in FEVER_NAMES) + r"fever\w*"
# Breathing as a complaint, not as a habit: "I breathe through my mouth", "a mouth breather".
BREATH = r"(?<!mouth )(?<!nose )breath\w*(?! (?:in |out )?through (?:my|the|your|his|her|their) (?:mouth|nose))"
# Air not getting in, not as a figure of speech ("choked up", "gasping for a cup of tea", "suffocated by
# all the information").
SUFFOCATING = (r"suffocat\w*(?! by\b)|chok(?:e|es|ed|ing)(?! up\b)|gasp(?:s|ed|ing)? for (?:air|breath)"
               r"|gasping(?! for\b)")
# Lips or a face gone blue: a sign of breathing failing, whoever it is told of.
# (said so, "my lips ARE blue", not "a full face blue mask"; not of a dye, a drink or the cold)
_GONE_BLUE = (r" (?:(?:a bit|slightly|quite|very) )?"
              r"(?:are|is|look|looks|looked|have gone|has gone|gone|turned|turning|going|went|were|was|go) "
              r"(?:(?:a bit|slightly|quite|very|all) )?blu(?:e|eish|ish)\b(?! (?:from|with|after eating|because)\b)")
BLUE_EMERGENCY = r"(?:lips?|face|tongue)" + _GONE_BLUE  # of anyone (blue fingers may be a bandage's)
BLUE = r"(?:lips?|face|tongue|fingers?|fingertips?)" + _GONE_BLUE
SYMPTOM_PARTS = (
    r"burn(?:ed|t|ing|s)?", r"ooz\w*", r"pus", r"weep\w*", r"bleed\w*",
    # (not "a blood test", "my blood pressure": things with blood in their name)
    r"blood(?:y)?(?! (?:tests?|samples?|pressure|sugars?|thinners?|thinning|flow|supply|vessels?|cells?|counts?|"
    r"groups?|types?|donors?|donations?|results?|works?|transfusions?))", FEVER,
    r"infect\w*", r"numb(?!er)\w*", r"tingl\w*", r"pins and needles", r"peel\w*", r"scab\w*", r"crust\w*", r"itch\w*",
    r"rash\w*", r"hives", r"cracked", r"pain\w*", r"hurt\w*", r"sore\w*", r"ach(?:e|es|ing|y)", r"throb\w*",
    r"swell\w*", r"swollen", r"puff\w*", r"blister\w*", r"bruis\w*", r"red(?:ness)?",
    r"dark (?:patch|spot|mark)\w*", r"light (?:patch|spot)\w*", r"discolou?r\w*", r"patch(?:es|y)",
    r"scar(?:s|red|ring)?", r"lump\w*", r"bump\w*", r"raw", r"sting\w*", r"dizz\w*", r"faint\w*",
    r"vomit\w*", r"sick(?! (?:note|notes|leave|pay|day|days|line))", r"unwell", BREATH, r"wheez\w*",
    SUFFOCATING, BLUE,
    r"allerg\w*", r"reaction\w*",
    r"shaky", r"shivery", r"palpitations?", r"racing heart", MY_HEART,
    r"heart(?:beat)? (?:is |was |keeps |kept |(?:has|had|'s) been |(?:starts?|started) )?"
    r"(?:racing|pounding|fluttering|thumping|skipping(?: beats?)?|missing beats?)",
    r"vision", r"blurr\w*", r"hot to the touch", r"not healing", r"won'?t heal", r"wound\w*", r"on fire",
    r"(?:went|turned|gone|going|getting|gotten) (?:dark|darker|red|white|pale|black|purple|blotchy|brown)",
    CANT_FEEL, r"(?:a|high|running a) temperature", MEASURED_TEMPERATURE,
    r"(?:lost|losing) weight without", r"unexplained weight loss",
    r"(?:can'?t|cannot|can not|unable to|lost|losing|no) control (?:of |over )?(?:my |the )?"
    r"(?:bladder|bowels?|pee|wee)", r"incontinen\w*", r"wet (?:myself|the bed)", URINE_HELD,
    r"tender\w*", r"cough\w*", r"ulcers?", r"(?:went|gone|going) deaf", r"(?:hearing|sight|vision) (?:went|has gone)",
    r"tight(?:ness)? (?:in|of) (?:my |the )?chest", r"chest (?:pain|tightness)",
    r"(?:lost|losing) (?:the |my |all |some |most )?(?:hearing|sight|vision)",
    r"(?:can'?t|cannot|can not|unable to) (?:hear|see) (?:\w+ ){0,2}?(?:out of|in|on|with|from) "
    r"(?:my|the|one|either|both)",
    r"(?:ringing|buzzing|whooshing) in (?:\w+ ){0,2}?ears?", r"tinnitus", r"vertigo",
    r"swallowed", r"night sweats", r"(?:can'?t|cant|cannot|can not|unable to) (?:swallow|breathe)",
    r"(?:lost|losing) (?:\w+ ){0,5}?without (?:\w+ )?(?:trying|meaning to)",
    r"what(?:'s| is) wrong with (?:me|him|her)", r"(?:i|he|she) fell", r"fell (?:off|down|over)",
    r"(?:car|road|bike) (?:accident|crash)", r"injur(?:ed|y)",
    # dizziness in everyday words: "the room keeps spinning", "I can't stand up"
    r"(?:room|head|world|everything) (?:\w+ ){0,2}?spinning",
    r"(?:can'?t|cannot|can not|unable to) (?:stand|walk|stay) (?:up|straight|upright)",
    # more of the body's complaints in everyday words
    r"head ?aches?", r"migraines?", r"cramp\w*", r"diarrh?o?ea", r"inflam\w*", r"limp(?:ing|s)?",
    r"breaking out", r"(?:came|come|coming) (?:up|out) in", r"discharge", r"leak\w* (?:\w+ )?(?:fluid|pus|blood)",
    r"(?:difficulty|trouble|struggling|problems?) (?:\w+ )?(?:swallowing|breathing|walking|seeing|hearing|"
    r"peeing|passing urine)", r"(?:struggling|hard|difficult) to (?:hear|see|breathe|swallow|walk|pee|wee)",
    r"(?:throat|airway|chest) (?:is |feels |has gone |went )?(?:very |really |a bit |so )?(?:closing|tight\w*)",
    r"lost (?:the |all |some )?feeling",
    r"(?:black|bloody|tarry) (?:stools?|poos?)", r"blood in (?:\w+ )?(?:stools?|poos?|urine|pee|wee|semen)",
    r"(?:hurt|injured|pulled|strained|twisted|ricked) (?:my|his|her) \w+",
    # a joint that fails: "my knee keeps giving way", "it buckled", "locks up"
    r"(?:gives?|giving|gave|given) way", r"buckl(?:es|ed|ing)", r"(?:locks?|locking|locked) (?:up|solid|in place)",
    # an allergy's and an airway's signs, a wound's and the water's
    r"sneez\w*", r"(?:streaming|watering|watery|runny) (?:eyes|nose)", r"nose ?bleeds?",
    r"(?:eyes|nose) (?:are |is )?(?:streaming|watering|running)",
    r"(?:feels?|feeling|felt|gone|going|getting|started to feel) (?:\w+ )?thick",
    r"voice (?:\w+ ){0,2}?(?:hoarse|croaky)",  # (not "funny": with a hearing aid in, one's own voice is)
    r"smell\w* (?:\w+ )?(?:bad|funny|strange|off|horrible|awful|foul)",
    r"(?:bad|funny|strange|foul|horrible) smell\w*", r"dark (?:urine|pee|wee)",
    r"(?:urine|pee|wee) (?:is |looks )?(?:\w+ )?(?:dark|cloudy|brown|red|pink)",
    r"(?:fluid|pus|blood|liquid|gunk) (?:\w+ )?(?:leak|ooz|seep|drip|com)\w*",
    ILLNESS,
)
SYMPTOMS = _words(*SYMPTOM_PARTS)
# Loss of feeling or control where nerves from the spine serve: an emergency at any clinic.
NERVE_SIGNS = (r"numb\w* (?:\w+ ){0,2}?(?:bottom|bum|groin|genitals?|saddle|between my legs|inner thighs?)",
               r"(?:can'?t|cannot|can not|unable to|lost|losing|no) control (?:of |over )?(?:my |the )?"
               r"(?:bladder|bowels?|pee|wee)", r"incontinen\w*", r"wet (?:myself|the bed)")
SYMPTOM_WORD = re.compile(SYMPTOMS)
# The words that name one complaint, for a clinic whose treatment is named after it.
SUBJECT_FAMILIES = {"pain": r"pain\w*|ach(?:e|es|ing|y)|sore\w*|hurt\w*|stiff\w*|twinge\w*"}


def _family(word: str) -> str:
    """The words of one complaint, as the symptoms know them: "allergy" is also "allergic" and "allergies"."""
    if word.startswith(("pain", "ach", "sore", "hurt")):
        return SUBJECT_FAMILIES["pain"]
    return next((part for part in SYMPTOM_PARTS if re.fullmatch(part, word)), re.escape(word) + r"\w*")


# Someone the person is asking for, with them or at home.
FAMILY_WHO = (r"my (?:\d+ ?(?:year|yr) old|mum|mom|mam|mother|dad|father|husband|wife|partner|son|daughter|child|"
              r"kid|baby|boy|girl|grandson|granddaughter|grandma|gran|nan|grandad|grandpa|grandfather|grandmother|"
              r"brother|sister|aunt|uncle)")
# Anywhere on the body: whatever a clinic treats, "my gums are bleeding" is the person's own.
MY_BODY = (
    r"my (?:(?:mum|mom|mother|dad|father|husband|wife|partner|son|daughter|child|kid|baby|boy|girl|grandson|"
    r"granddaughter|grandma|gran|nan|grandad|grandpa|brother|sister)(?:'?s)? )?"
    r"(?:(?:left|right|lower|upper|top|bottom|front|back|inner|outer) )?"
    r"(?:skin|face|neck|arms?|legs?|thighs?|tummy|stomach|belly|bum|cheeks?|chin|jaw|lips?|eyes?|eyelids?|"
    r"throat|chest|body|abdomen|back|lower back|spine|shoulders?|hips?|knees?|ankles?|feet|foot|toes?|hands?|"
    r"wrists?|elbows?|fingers?|head|scalp|hair|ears?|ear canal|nose|mouth|teeth|tooth|gums?|tongue|breasts?|nipples?|"
    r"nails?|joints?|muscles?|calf|calves|shins?|heels?|soles?|groin|buttocks?|bottom|armpits?|forehead|temples?|"
    r"balls|testicles?|testes|scrotum|penis|vagina|genitals|privates|cuts?|incisions?|wounds|scars|"
    r"eyebrows?|nostrils?|ribs?|pelvis|veins?|bones?|tendons?|thumbs?|palms?|toenails?|fingernails?|wound|scar|"
    r"bandages?|dressings?|stitches|eardrums?|treated area|area|bruises?|blisters?|redness|swelling|rash|pain|"
    r"soreness|tenderness|numbness|symptoms|temperature|urine|pee|wee|poo|stools?|semen|sperm|phlegm|mucus|saliva)"
)
def _not_after(*words: str) -> str:
    """A pattern's start that is not right after any of these words."""
    return "".join(rf"(?<!\b{w} )" for w in words)


# "can I have", "should I have": a question turned round, asking what is allowed.
_NOT_ASKED = _not_after("can", "could", "may", "might", "should", "shall", "must", "will", "would", "do", "did")
# How a person asks or what they have heard, not how they are: "I'm wondering whether...", "I've read that...".
# (not "I'm hoping it's not cancer": a hope about oneself)
_FRAME = (r"(?! (?:wondering|curious|interested|asking|keen|considering|planning|heard|read"
          r"|been (?:told|reading|wondering|thinking|looking|considering|researching|hearing))\b)")
PERSONAL_NOW = _words(
    MY_BODY,
    # ("I'm" and "I've" are read as "I am" and "I have": see _clean) not "can I have", "should I have";
    # however the person asks ("I'm wondering why there's so much pus": a symptom told is theirs)
    _NOT_ASKED + r"i (?:have|am)",
    r"i (?:had|got|ve got|feel|think|noticed|woke|can'?t)",
    # "I keep getting headaches", not "how do I keep the swelling down"
    r"i keep(?! (?:the|it|them|this|that|a|an|your)\b)",
    r"since", r"ago", r"yesterday",
    r"last (?:week|night)",
    r"still", r"after my", r"from my", r"my (?:session|treatment|appointment|procedure|fitting|visit|operation)",
    WORSENING, r"won'?t go", r"hasn'?t gone", r"not going(?! to be\b)", r"this morning", r"today", r"now",
    r"covered in", r"wrong with me", r"without (?:\w+ )?trying",
    # a relative's now ("my grandson just swallowed"), not their story ("my sister had it done")
    FAMILY_WHO + r"(?:'?s)? (?:just |has just )?(?:swallowed|has|is|can'?t|won'?t)",
)
# "not sure IF my face should be this red" asks whether, of something real: no hypothetical.
_WHETHER = _not_after("sure", "unsure", "wonder", "wondering", "know", "check", "ask", "asking", "see", "curious")
HYPOTHETICAL = re.compile(
    r"^(?:will|would|could|can|does|do|is|are|might|may|should)\b(?! (?:i|it) (?:be )?normal)"
    r"|\b(?:will|would|could|might) (?:i|it|you|my|there)\b|" + _WHETHER + r"\bif (?:i|my)\b|\bchance\b"
)
# A worry about what might happen is a general question...
WORRY = re.compile(
    r"\bworried\b[^.?!]*\b(?:will|might|could|would|may)\b"
    r"|\b(?:does|do|did|can|could|would|will) (?:that|this|it) (?:ever )?happen"
    r"|\bis (?:\w+ )?(?:common|rare|likely|usual)\b|\bhow (?:soon|quickly|fast|often|common|likely)\b"
    r"|\b(?:can|could|may|might) cause\b"
    r"|\bread (?:\w+ ){0,4}?(?:online|that|about)\b|\bheard (?:\w+ ){0,4}?(?:that|about)\b"
    r"|\blikely to\b|\bthe worst\b"
    # "anxious about having a reaction during the test": what might happen, not what has
    r"|\b(?:worried|anxious|nervous|scared|afraid|frightened|terrified|concerned|worry|fear) (?:about|of) "
    r"(?:\w+ )?(?:having|getting|developing|needing|being|reacting)\b"
)
# ...unless the person says it is already happening.
ONGOING = _words(
    r"keeps? (?:bleeding|hurting|swelling|oozing|throbbing|itching|burning)", MY_HEART,
    r"since", r"ago", r"yesterday", r"last (?:week|night)", r"this morning", r"today",
    r"right now",
    r"for (?:a|an|one|two|three|four|five|several|a few|\d+) (?:days?|weeks?|hours?)",
    r"(?:has|have|it'?s|its) been",
    WORSENING, r"(?:won'?t|will not) (?:go|heal|stop|settle)",
    r"(?:hasn'?t|has not|haven'?t|have not) (?:gone|healed|stopped|settled|improved|eased|cleared)",
    r"not (?:going(?! to be\b)|healing|stopping)",
    r"woke up",
)
# Bleeding is urgent when it is heavy or will not stop, not a little when brushing.
SEVERE = _words(
    # (a heart that hurts is chest pain)
    r"heart (?:really |is really )?(?:hurts|hurting|is hurting|aches|aching|is aching|is sore|is painful|pain)",
    r"pus", FEVER, r"(?:heavy|heavily|lots of|a lot of|keeps?|won'?t stop) bleed\w*",
    r"bleed\w* (?:heavily|a lot|badly|everywhere|non ?stop)", r"soak\w* (?:\w+ ){0,2}?(?:through|with blood)",
    r"i'?m bleeding", r"i am bleeding",
    r"(?:nose ?)?bleed\w* (?:\w+ ){0,5}?(?:won'?t|wont|will not|doesn'?t|does not|hasn'?t|has not) stop",
    r"(?:can'?t|cant|cannot|can not|unable to) (?:swallow|breathe)",
    BREATH, r"wheez\w*", SUFFOCATING, BLUE, r"throat", r"faint\w*",
    r"chest", r"tongue", r"voice", r"spread\w*", r"vision", r"blurr\w*", r"eye", r"eyes", r"severe\w*", r"unbearable",
    r"really (?:bad|hurts?|hurting|painful)", r"very painful", r"agony", CANT_FEEL,
    *NERVE_SIGNS,
    r"(?:a|high|running a) temperature", MEASURED_TEMPERATURE, r"(?:lost|losing) weight without",
    r"unexplained weight loss", r"burn(?:ed|t)", r"infect\w*", r"swallowed", r"night sweats",
    r"(?:lost|losing) (?:\w+ ){0,5}?without (?:\w+ )?trying",
    r"hurts? (?:loads|so much|a lot|badly)", r"fell (?:off|down)", r"accident",
    r"(?:can'?t|cannot|can not|unable to) (?:stand|walk|stay) (?:up|straight|upright)",
    r"ooz\w*", r"hot to the touch", r"lips? (?:are )?swell\w*", r"blistering badly", r"worse", URINE_HELD,
)
# "I'm expecting" and "I'm nursing" are pregnancy; "expecting it to take a while" and "a nursing home" are not.
PREGNANCY = _words(r"pregnan\w*", r"breast ?feed\w*", r"breast ?milk", r"nursing(?! home)",
                   r"expecting(?! (?:it|that|this|them|to|the|a (?:call|reply|letter)|an? (?:email|answer)))",
                   r"trying to conceive", r"ivf",
                   r"trying for a baby", r"(?:having|expecting) a baby", r"baby on the way",
                   r"(?:i'?m|im|i am) \d+ ?(?:wks?|weeks?|months?) (?:pg|preg\w*|along|gone)",
                   r"(?:i'?m|im|i am) (?:pg|preg)\b")
MEDICINE = _words(
    r"warfarin", r"blood thinners?", r"anticoagulants?", r"aspirin", r"antibiotics?", r"steroids?", r"insulin",
    r"methotrexate", r"antidepressants?", r"medications?", r"medicines?", r"meds", r"tablets", r"pills",
    r"the pill", r"injections", r"chemo\w*", r"radiotherapy", r"immunosuppress\w*", r"ibuprofen", r"hrt",
)
# A medicine the lists above lack, known by its international name's stem (prednisolone,
# lisinopril, omeprazole, sertraline...): a person's own only while they take it ("I'm on",
# "I've been prescribed"), not "I had tetracycline as a kid", which a leaflet may answer.
DRUG = (r"\w{3,}(?:olone|asone|isone|pril|sartan|olol|dipine|azepine|zapine|statin|prazole|tidine|cillin|mycin|"
        r"cycline|oxacin|azole|vir|mab|tinib|parin|xaban|gatran|gliptin|gliflozin|formin|triptan|setron|oxetine|"
        r"pramine|triptyline|azepam|azolam|profen|fenac|coxib|dronate|lukast|terol|semide|thiazide|"
        r"codone|morphone|glutide|zepatide|pentin|gabalin|thyroxine|talopram|traline|faxine)s?"
        r"|\w*retinoin|\w+azepam|paracetamol|acetaminophen|codeine|tramadol|morphine|naproxen|lithium|tamoxifen|clopidogrel|ozempic|"
        r"mounjaro|wegovy|codamol|cisplatin|gentamicin")
TAKING = (r"\b(?:(?:i'?m|i am|im) (?:on|taking|using)|i (?:take|use)|(?:i'?ve|ive|i have) been (?:on|taking|using|"
          r"prescribed|put on|given)|(?:been|was|got|get|am|was just) prescribed)\b (?:\w+ ){0,3}?(?:" + DRUG + r")\b")
# "the surgeon operated on my eardrum", "had an operation on my knee" (not "will you do surgery on my toe")
PAST_OPERATION = r"(?:did|had|done|performed) (?:\w+ ){0,2}?(?:surgery|an operation) on my|operated on my"
# Where metal left by an operation or an accident is told to be ("a metal fragment in my EYE").
BODY_INSIDE = ("eyes?|head|brain|skull|body|breast|chest|heart|neck|back|spine|arm|leg|hand|foot|knee|hip|shoulder|"
               "tummy|stomach|abdomen|bowel|womb|face|jaw|fingers?|toes?")
CONDITION = _words(
    r"diabet\w*", r"lupus", r"eczema", r"psoriasis", r"cancer", r"melanoma", r"tumou?r",
    r"pacemaker", r"epilep\w*", r"seizures?", r"heart (?:condition|disease|problem|attack)s?", r"stroke",
    r"high blood pressure", r"hypertension", r"autoimmune", r"thyroid", r"hiv", r"hepatitis",
    r"blood pressure (?:is |was |has been |keeps )?(?:\w+ )?(?:high|low|up|raised|through the roof)",
    r"anaphyla\w*", r"clotting disorder", r"bleeding disorder", r"haemophilia", r"hemophilia", r"arthritis",
    r"osteoporosis",
    r"kidney", r"\w*dialysis", r"aneurysms?", r"aneurisms?", r"liver disease", r"multiple sclerosis",
    r"allergic to", r"allergy", r"allergies",
    r"infection", r"dementia", r"asthma", r"copd",
    r"(?:slipped|herniated|prolapsed|bulging) discs?", r"spinal stenosis", r"scoliosis", r"fractur\w*",
    r"\w+(?:'s|s)? (?:disease|syndrome|disorder)", r"meniere\w*", r"glue ear", r"tinnitus", r"vertigo",
    r"\w*stimulator", r"defibrillator", r"cochlear implants?", r"shunt",
    r"metal (?:plates?|pins?|rods?|work)",
    # metal left in the body, not a clip on a bag or a splinter feared at work
    r"(?:aneurysm|surgical) clips?", r"(?:piece|bit|sliver) of metal in my",
    r"(?:metal|metallic) (?:clips?|fragments?|splinters?|shards?) (?:\w+ )?(?:in|inside)"
    r" (?:me|my (?:\w+ )?(?:" + BODY_INSIDE + r"))\b",
    r"(?:metal|metallic) clips? (?:\w+ ){0,2}?(?:put in|placed|fitted|inserted|on my (?:fallopian )?tubes"
    r"|(?:from|after|during) (?:my |an |the |a )?(?:\w+ )?(?:surgery|operation|op|biopsy|sterili[sz]ation))",
    # one's own perforation, not a risk feared ("I'm worried about a perforated bowel")
    r"(?:have|had|got|with) (?:a |an )?perforated (?:\w+ )?(?:eardrums?|ear drums?|bowel|septum|ulcer|appendix)",
    r"(?:eardrums?|ear drums?|bowel|septum|ulcer|appendix) (?:is|was|has been|had been|got|were) perforated",
    r"catheters?", r"stents?", r"stoma", r"\w+ostomy(?: bag)?",  # what a person lives with: "I have a catheter"
    # (not "I've never had an operation before")
    r"(?<!never )(?<!not )(?:had|undergone|recovering from|after) (?:an? |my )?(?:\w+ )?\w+(?:ectomy|otomy|plasty)",
    r"(?<!never )(?<!not )(?:had|undergone|recovering from) (?:an? |my )?(?:\w+ ){0,2}?"
    r"(?:surgery|operation|fusion|replacement|transplant|bypass|amputation|\w+oscopy)",
    # a cosmetic operation is the person's own only said so ("my friend had a facelift, is laser less dramatic?")
    r"i (?:had|have had|'?ve had|recently had) (?:an? |my )?(?:\w+ ){0,2}?"
    r"(?:face ?lift|tummy tuck|liposuction|breast (?:reduction|enlargement|augmentation|lift))",
    PAST_OPERATION, r"caesarean", r"c section",
    r"broken (?:bone|back|neck|hip|leg|arm|wrist)",
    # clots, and conditions named by their endings: "acoustic neuroma", "otosclerosis" (not a diagnosis)
    r"(?:" + "|".join(FEVER_NAMES[1:]) + r") fever",
    r"(?:blood )?clots?", r"dvt", r"thrombos[ie]s", r"\w*embolism", r"\w{3,}omas?", r"(?!diagn|progn)\w{4,}osis",
)
# Someone the person is asking for ("my dad is on warfarin", "my 4 year old has glue ear").
FAMILY = FAMILY_WHO + r"(?:'?s)? (?:is|has|takes|was|had|got|needs|uses)"
OWN = _words(
    r"i am" + _FRAME, r"i'?m" + _FRAME, r"im" + _FRAME, r"i (?:already |still |also )?have" + _FRAME,
    r"i'?ve" + _FRAME, r"ive" + _FRAME, r"i take", r"i'?m taking", r"i use",
    r"i suffer", r"i was diagnosed", r"i (?:only |just |recently |already |also )?had", r"i got", r"i'?m on",
    r"im on", r"i am on",
    # a possibility of one's own: "I think I might be pregnant", "could I be pregnant"
    r"i (?:might|may|could) (?:be|have)", r"(?:could|might|may) i be",
    r"i (?:only |just |recently )?(?:finished|started|stopped|completed|began|took)",
    r"my (?:doctor|gp|medication|meds|condition|diagnosis)", r"diagnosed", r"history of", FAMILY, PAST_OPERATION,
    # "As someone with diabetes, would I be suitable?", "being diabetic, ..."
    r"as (?:someone|somebody|a person|a patient|an? (?:\w+ )?(?:man|woman|adult|diabetic)) (?:with|who|on)",
    r"being (?:a )?(?:diabetic|epileptic|asthmatic|pregnant|on)",
)
# "I'm on Eliquis", "she's taking Humira": a name that is no English word, taken now, is a medicine.
ON_SOMETHING = re.compile(r"\b(?:i'?m|im|i am|(?:he|she)'?s|(?:he|she) is|is) (?:on|taking|using) ([a-z]{4,})\b")


# "my face IS swollen", not "my skin is quite dark and I worry about patches":
# the symptom comes within a few words of the body part (or of the treatment's
# own thing: "my implant is bleeding", added per clinic).
BODY_NOW = r"\b(?:MINE) (?:is|are|was|were|has|have|keeps?|looks?|feels?|seems?) (?:\w+ ){0,3}?" + SYMPTOMS


def _still_now(text: str) -> bool:
    """'my face is STILL red' is now; 'will my face still be red' is a question about later."""
    at = re.search(r"\bstill\b", text)
    return at is not None and not re.search(r"\b(?:will|would|going to)\b", text[: at.start()])


@dataclass(frozen=True)
class Triage:
    """Why a message needs a person: its topic and whether it sounds urgent."""

    topic: str
    severe: bool


class Safety:
    """Triage for one clinic: the general layer above, plus its treatment's own contraindications."""

    def __init__(self, words: SafetyWords | None = None, treatment: str = "", leaflet: str = "") -> None:
        """`leaflet` is the clinic's document: a medicine it names may be asked about in general."""
        words = words or SafetyWords()
        self.stated = frozenset(_clean(fold(leaflet)).split())
        self._said = f" {_clean(fold(leaflet))} "
        self.medicine = _with(MEDICINE, words.medicines)
        self.any_medicine = re.compile(r"\b(?:" + self.medicine.pattern + "|" + DRUG + r")\b")
        self.condition = _with(CONDITION, words.conditions)
        # "is my slipped disc any different": a condition that is the person's own, however asked
        self.my_condition = re.compile(r"\bmy (?:\w+ ){0,2}?(?:" + self.condition.pattern + ")")
        self.my_medicine = re.compile(r"\bmy (?:\w+ ){0,2}?(?:" + self.medicine.pattern + ")")  # "stop my warfarin"
        self.symptoms = _with(SYMPTOMS, words.symptoms + words.urgent)
        self.severe = _with(SEVERE, words.urgent)
        # The treatment's own name, in two words or more of it, is in every question: it does not keep what
        # the leaflet answers for anyone from being answered, though one word of it alone may be an urgent
        # sign (a treatment named for a part of the body: "her tongue is bleeding", "my eye is red").
        named = _clean(fold(treatment)).split()
        runs = sorted({" ".join(named[i:j]) for i in range(len(named)) for j in range(i + 2, len(named) + 1)},
                      key=len, reverse=True)
        self.named = re.compile(r"\b(?:" + "|".join(map(re.escape, runs)) + r")s?\b") if runs else None
        # What the clinic lets the leaflet answer for anyone (safety.yaml's `answered:`), unless with an urgent sign.
        self.answered = re.compile(_words(*(_phrase(p) for p in words.answered))) if words.answered else None
        # The clinic's own warning signs ("bandage too tight"), said of oneself in any words: urgent.
        # (one word, "pus" or "curtains", is no sign on its own: the general checks know the words that are)
        signs = [_phrase(p) for p in words.urgent if len(p.split()) > 1]
        self.warning = re.compile(_words(*signs)) if signs else None
        # "since my whitening", "after my hearing aid fitting": the treatment's own words mean a session of it.
        named = [rf"my (?:new )?{re.escape(w.removesuffix('s'))}s?" for w in fold(treatment).split() if len(w) > 2]
        self.personal_now = _with(PERSONAL_NOW, [], named)
        self.body_now = re.compile(BODY_NOW.replace("MINE", "|".join([MY_BODY, *named]), 1))
        # What the clinic treats is no red flag in itself: at a clinic for back pain, "my back
        # has been aching for weeks" is why people come, and the leaflet speaks to it.
        treated = [w for w in fold(treatment).split() if SYMPTOM_WORD.fullmatch(w)]
        families = [_family(w) for w in treated]
        self.treated = re.compile(_words(*families)) if families else None
        name = _clean(fold(treatment))
        self.named_words = frozenset(name.split())  # "I'm on <the treatment>" names no medicine
        self.treatment = re.compile(r"\b" + re.escape(name) + r"(?:s|es)?\b") if name else None

    def assess(self, message: str) -> Triage | None:
        """A Triage when the person talks about their own health, else None. An urgent sign comes first,
        whatever else is told ("I'm on <the treatment> and my chest hurts", "I'm pregnant and bleeding heavily")."""
        folded = self._unasked(fold(message))
        text = _OTHERS_HISTORY.sub("people with", self._asked(_clean(folded)))
        found = self._situation(folded, text)
        if found is not None and found.topic != "symptoms":
            # ("I've had breathlessness since my injections": the urgent sign is what the reply must lead with)
            urgent = self._symptoms(folded, text)
            if urgent is not None and urgent.severe:
                return urgent
        return found

    def _situation(self, folded: str, text: str) -> Triage | None:
        """What of the person's own a message tells, first found first (`text` is `folded` cleaned); `assess`
        puts an urgent sign before it."""
        if _OWN.search(text):
            if _PREGNANCY.search(text):
                return Triage("pregnancy", False)
            medicine, condition = self.medicine.search(_unnamed(text)), self._condition(text)
            if medicine:
                return Triage("medicine", False)
            if condition:
                return Triage("condition", self.severe.search(text) is not None)
        if self.my_condition.search(self._as_conditions(text)):
            return Triage("condition", self.severe.search(text) is not None)
        if any(not self._leaflets(m.group()) for m in self.my_medicine.finditer(_unnamed(text))):
            return Triage("medicine", False)
        if any(m.group(1) not in self.stated and not is_word(m.group(1)) for m in _MY_DRUG.finditer(text)):
            return Triage("medicine", False)  # "can I stop my amlodipine" (not "my paracetamol" the leaflet advises on)
        if _TAKING.search(text) or any(not is_word(m.group(1)) and m.group(1) not in self.named_words
                                       for m in ON_SOMETHING.finditer(text)):
            return Triage("medicine", False)
        if _MEASURED.search(text) or _SHOWED.search(text):
            return Triage("condition", False)
        return self._symptoms(folded, text)

    def cue(self, message: str) -> str:
        """The words the checks take a message's own situation from ("tablets", "swollen"), for staff
        rewording what they meant as a general question; '' when there are none."""
        text = _clean(self._unasked(fold(message)))
        for pattern in (_PREGNANCY, self.any_medicine, self.condition, self.symptoms, _MEASURED, _SHOWED):
            found = pattern.search(self._untreated(text) if pattern in (self.condition, self.symptoms) else text)
            if found:
                return found.group().strip()
        return ""

    def _unasked(self, folded: str) -> str:
        """Without what the clinic lets its leaflet answer for anyone (`answered:`), unless an urgent sign is told."""
        told = _clean(folded) if self.named is None else self.named.sub(" ", _clean(folded))
        if self.answered is None or self.severe.search(self.answered.sub(" ", told)):
            return folded  # (the phrase itself is no urgent sign: "yellow fever", "chest physio")
        return self.answered.sub(" ", folded)

    def _leaflets(self, mine: str) -> bool:
        """Whether "my hay fever tablets" names a kind of medicine the leaflet speaks of in just those words:
        "do I stop my hay fever tablets before the test" asks what it says of them. A medicine of one's own
        by name ("my warfarin"), or of a kind the leaflet does not name in those words ("my sleeping tablets" where
        it speaks of "sleeping aids"), is still the clinic's to advise on."""
        said = mine.split()[1:]
        kind = " ".join(said[:-1] + [said[-1].removesuffix("s")])
        return bool(_KIND.fullmatch(said[-1])) and (f" {kind} " in self._said or f" {kind}s " in self._said)

    def _condition(self, text: str) -> re.Match[str] | None:
        return self.condition.search(self._as_conditions(text))

    def _as_conditions(self, text: str) -> str:
        """The text conditions are looked for in: without the treatment's name and vaccines named for an illness."""
        return _VACCINE.sub(" ", self._untreated(text))

    def _untreated(self, text: str) -> str:
        """Without the treatment's own name: at a colonoscopy clinic, "my sister had a colonoscopy" is
        no past operation of hers to hand off, but what the leaflet is about; nor, at an allergy clinic,
        the complaint it treats ("my GP says I need allergy testing", "I'm allergic to cats")."""
        if self.treatment is None or _COMPLICATION.search(text):
            return text  # "I had a colonoscopy and reacted badly to the sedation" is the person's own
        text = self.treatment.sub(" ", text)
        return self.treated.sub(" ", text) if self.treated is not None and not self.severe.search(text) else text

    def _asked(self, text: str) -> str:
        """'can I take paracetamol after' asks what the leaflet says when it names paracetamol: the
        asking is no sign of the person's own medicine ('I'm on warfarin, can I take aspirin' still is)."""
        own = _DOSING.search(text) or self.symptoms.search(text) or self.condition.search(text)
        if own or not _ASKING.search(text):
            return text  # "can I take paracetamol, the pain in my palm is really bad": the person's own
        named = [m.group(0) for m in self.any_medicine.finditer(text)]
        # (a drug's own name: "medicines", "antibiotics" or "steroids" in the leaflet say nothing of which)
        if named and all(_DRUG.fullmatch(n) and set(n.split()) <= self.stated for n in named):
            asked = _ASKING.sub(r"\1", text)
            return text if _OWN.search(asked) or _TAKING.search(asked) else asked
        return text

    def _symptoms(self, folded: str, text: str) -> Triage | None:
        """A Triage when the message tells of the person's own symptoms (`text` is `folded` cleaned)."""
        sentences = [_clean(sentence) for sentence in _SENTENCE.split(folded)]
        if any(_sudden_loss(sentence) or self._warned(sentence) or _emergency(sentence) for sentence in sentences):
            return Triage("symptoms", True)
        if self.treated is not None and not self.severe.search(text):
            text = self.treated.sub(" ", text)
            sentences = [self.treated.sub(" ", sentence) for sentence in sentences]
        if not self.symptoms.search(text):
            return None
        named = self.symptoms.search(_ILLNESS.sub(" ", text)) is not None  # more than an illness
        if named and (_ONGOING.search(text) or self.body_now.search(text) or _still_now(text)) or any(
                self._personal(told) for told in chain(sentences, self._severe_clauses(folded))):
            return Triage("symptoms", self.severe.search(text) is not None)
        return None

    def _severe_clauses(self, folded: str) -> Iterator[str]:
        """Clauses with a severe sign, cleaned, each to be read on its own: one may tell what a worry around it
        does not ("I'm worried it will affect my breathing, my throat feels tight now")."""
        for sentence in _SENTENCE.split(folded):
            for clause in _unconditional(sentence):
                told = _clean(clause)
                if self.severe.search(told):
                    yield told

    def _warned(self, sentence: str) -> bool:
        """One of the clinic's warning signs, of the person's own ("my bandage is too tight"), not asked
        about as a maybe ("what should I do if the bandage feels too tight?")."""
        return self.warning is not None and _SAID_OF_ME.search(sentence) is not None and any(
            self.warning.search(told) and not (HYPOTHETICAL.search(told) or WORRY.search(told) or _IF.search(told)
                                               or _ABOUT_SIGNS.search(told)) for told in _turns(sentence))

    def _personal(self, text: str) -> bool:
        """A symptom and a sign that it is the person's own, in one sentence, not asked about as a maybe:
        'I have a dinner party. How long does the redness last?' is a question, not a symptom. What follows
        a turn is read again on its own: 'I read that it's normal BUT I have chest pain' tells one."""
        head = _head(text)
        # (what comes before the first turn counts when it says itself that it is now: "I bruise really easily
        # and I'm worried about bruises" tells no symptom of today)
        told = _turns(text) + ([head] if head and self.personal_now.search(head) else [])
        return self.personal_now.search(text) is not None and any(
            self.symptoms.search(part) and not (HYPOTHETICAL.search(part) or WORRY.search(part)) for part in told)


def _unnamed(text: str) -> str:
    """Without medicines asked about as a kind ("can I keep taking my USUAL MEDICINES", "do I stop ALL MY
    TABLETS"): the leaflet's advice on medicines in general, not a medicine of one's own it cannot know."""
    return _UNNAMED.sub(" ", text)


def sentences(message: str) -> list[str]:
    """A message's sentences as written (a symptom and the sign that it is the person's own must share one)."""
    return [part for part in _SENTENCE.split(message) if part.strip()]


def _clean(text: str) -> str:
    """Folded text with punctuation gone and single spaces, "I'm" and "I've" read as "I am" and "I have"
    and "'ll" as "will" (contracted, written out or in text-speak, they say the same, as the spelling-corrected
    reading spells them)."""
    text = " ".join(_NOT_WORD.sub(" ", text).split())
    if "'ll" in text:  # "it'll leave a scar" says "it will"
        text = _WILL.sub(" will", text)
    return _SELF_HAVE.sub("i have", _SELF_AM.sub("i am", text)) if "i" in text else text


def _with(general: str, phrases: tuple[str, ...] | list[str], patterns: list[str] | None = None) -> re.Pattern[str]:
    """A general pattern with a clinic's own phrases (plurals included) added."""
    extra = [_phrase(p) for p in phrases if p.strip()]
    extra += patterns or []
    return re.compile(f"{general}|{_words(*extra)}" if extra else general)


def _phrase(phrase: str) -> str:
    """A clinic's phrase as a pattern: its words in order, one more word allowed between two of them
    but never a negation ("fingers gone blue" is said "my fingers HAVE gone blue"), and a degree
    ("my eyes have gone A BIT yellow"), plurals included."""
    words = [_LINKING if w in _LINKS and n else re.escape(w) for n, w in enumerate(fold(phrase).split())]
    return (r"(?: (?!not\b|never\b|no\b|n't\b)\w+)?" + _DEGREE + " ").join(words) + r"(?:s|es)?"


_DEGREE = r"(?: a bit| a little| a lot| quite| really| very| slightly| so| too| rather| pretty| kind of| sort of)?"


# A clinic's "implant is bent" is said "my implant HAS bent", "arm is numb" "my arm FEELS numb"
# (between the thing and how it is: "feel faint" is no "the control WAS faint").
_LINKS = frozenset("is are was were has have had feels feel felt looks look looked seems seem gone went goes got "
                   "gets getting become becomes became turned turns".split())
_LINKING = "(?:" + "|".join(sorted(_LINKS)) + ")"


def _turns(sentence: str) -> list[str]:
    """A sentence, then what it says after each turn from what was read, feared or asked to what is so
    ("I read that it's normal BUT I have chest pain"): each may tell of the person's own."""
    return [sentence, *(sentence[found.end():].strip() for found in _TURN.finditer(sentence))]


def _unconditional(sentence: str) -> list[str]:
    """A sentence's clauses (between commas, semicolons, colons or dashes) up to the first that supposes
    ("I'm worried that if it gets infected, my toe will be hot": what follows an "if" is supposed too, and
    so is an example: "should I go to A&E, for example when my chest hurts?")."""
    out = []
    for clause in _CLAUSE.split(sentence):
        if _SUPPOSED.search(clause.lower()):
            break
        out.append(clause)
    return out


def _head(sentence: str) -> str:
    """What a sentence says before its first turn ("I've had a cold all week AND my operation is on Friday,
    will it go ahead?"), or ''."""
    found = _TURN.search(sentence)
    return sentence[:found.start()].strip() if found else ""


def _emergency(text: str) -> bool:
    """Breathing failing or someone who cannot be woken, told of anyone now ("she can't breathe properly",
    "the baby has gone floppy"), not asked about as a maybe ("what if he stops breathing"): an emergency
    whoever it is (one cleaned sentence)."""
    found = _EMERGENCY.search(text) or (_BLUE.search(text) if not _ABOUT_SIGNS.search(text) else None)
    return bool(found and not _IF.search(text[:found.start()]) and not _MAYBE.search(text[:found.start()]))


def _sudden_loss(text: str) -> bool:
    """A person's own sight or hearing gone suddenly (one cleaned sentence): an emergency at any clinic."""
    return bool(_SENSE_LOST.search(text) and _SUDDEN.search(text) and _ME.search(text))


_NOT_WORD = re.compile(r"[^a-z0-9' ]+")
_WILL = re.compile(r"'ll\b")
_SELF_AM, _SELF_HAVE = re.compile(r"\b(?:i'm|im)\b"), re.compile(r"\b(?:i've|ive)\b")
_SENSE_LOST = re.compile(
    r"\b(?:can'?t|cannot|can not|unable to|barely|hardly) (?:hear|see) (?:\w+ )?(?:out of|in|with|from|on) "
    r"(?:my|the|one|either|both)\b|\blost (?:the |my |all )?(?:hearing|sight|vision)\b"
    r"|\b(?:went|gone|going|go) (?:deaf|blind)\b|\b(?:deaf|blind)(?:ness)? in (?:my|one|the|both)\b"
    r"|\b(?:hearing|sight|vision) (?:went|has gone|disappeared|(?:has |suddenly )?(?:dropped|got worse|gone worse))\b"
    r"|\bno (?:hearing|sight|vision) in\b"
    # "how soon will my hearing come back, it went suddenly this morning"
    r"|\bmy (?:hearing|sight|vision)\b[^.?!]*\b(?:come|comes|coming) back\b"
    r"|\bmy (?:hearing|sight|vision)\b[^.?!]*\bit (?:went|has gone|disappeared|stopped)\b")
_EMERGENCY = re.compile(
    r"\b(?:i|i'?m|im|she|he|baby|child|son|daughter|boy|girl|husband|wife|partner|mum|mom|dad|mother|father|brother|"
    r"sister)(?:'s|'re| is| are| has| have)? (?:just |now |really )?"
    r"(?:(?:not|isn'?t|aren'?t|stopped|stops) breathing"
    # (not "through her nose" with a cold, nor breathing and feeding at once)
    r"|(?:can'?t|cannot|can not|unable to|struggling to|fighting to) (?:catch (?:her|his|their|my) breath|breathe"
    r"(?! (?:through|out of|in through) (?:my|her|his|the|their) nose| and (?:feed|eat|drink|suck|swallow|talk)))"
    r"|(?:gone|going|turning|turned|gone all) (?:blue|floppy|limp)|unresponsive"
    # (not "wake up early", "wake you up", "be woken by the doorbell")
    r"|(?:won'?t|will not|can'?t|cannot) (?:be woken(?! by)|wake(?: up)?(?! (?:up )?(?:me|you|us|early|in time|"
    r"on time|for|at|before|until|till|when|to)\b)))")
# A question about what may happen, right before what it asks of ("will SHE stop breathing", "what if HE...").
_BLUE = re.compile(r"\b" + BLUE_EMERGENCY)
_MAYBE = re.compile(r"\b(?:will|would|could|might|may|can|does|do|did|what if)(?: (?:the|my|your|our))? ?$")
# Where a sentence turns from what was read, feared or asked to what is so: "... but I have chest pain",
# "... and I think her wound is infected".
_TURN = re.compile(r"\b(?:but|however|although|though|whereas|yet)\b"
                   r"|\band (?=(?:i|im|now|she|he|my|her|his|there)\b)")
_SUDDEN = re.compile(r"\b(?:sudden\w*|overnight|woke up|this morning|all of a sudden|out of nowhere)\b")
_ME = re.compile(r"\b(?:i|i'm|im|my|me)\b")
_SENTENCE = re.compile(r"(?<=[.?!])\s+|\n+")
_CLAUSE = re.compile(r"[,;:]\s*|\s+-+\s+")
# Others' history, asked about in general: "can patients with a history of breast cancer have it" (not
# "me with a history of stroke").
_OTHERS_HISTORY = re.compile(r"\b(?:patients?|people|women|men|someone|somebody|anyone|those|children|adults|"
                             r"a person|persons|individuals|candidates) (?:who (?:have|has) had |with )(?:a )?"
                             r"(?:past |previous |known )?history of\b")
_OWN, _PREGNANCY, _ONGOING, _TAKING = (re.compile(p) for p in (OWN, PREGNANCY, ONGOING, TAKING))
_IF = re.compile(r"\b(?:if|in case|supposing)\b")
_SUPPOSED = re.compile(r"\b(?:if|in case|supposing|suppose|for example|for instance|e\.? ?g)\b")
# A result of one's own, measured: "my daughter's peanut test was 9 mm", "my score came back at 12".
# One's own result told: "my blood test results showed low iron", "my x-ray showed bone loss".
_SHOWED = re.compile(r"\bmy (?:[\w']+ ){0,3}?(?:test|tests|results?|scans?|x ?rays?|readings?|scores?|levels?|count|"
                     r"biopsy|mri|ct) (?:showed|shows|came back|found|said|says)\b")
# (not when it is: "my test is at 9 am on the 3rd")
_MEASURED = re.compile(r"\bmy (?:[\w']+ ){0,3}?(?:test|tests|results?|scan|scans|readings?|score|levels?|count|wheal|"
                       r"bump|reaction|blood pressure|blood sugars?|sugar levels?|glucose) "
                       r"(?:was|were|is|are|came back(?: at)?|showed|measured(?: at)?|read) "
                       r"(?:(?!at |on |in |for |next |this |the )\w+ ){0,2}?\d+"
                       r"(?! ?(?:am|pm|o'?clock|th|st|nd|rd)\b| (?:minutes?|hours?|days?|weeks?|months?|years?) ago\b)")
_ILLNESS = re.compile(_words(ILLNESS))
# Said of oneself: "my", "I'm", "I've", "I have", "I feel" (not "I'd like to know the warning signs").
_SAID_OF_ME = re.compile(r"\b(?:my|i'?m|im|i am|i'?ve|ive|i have|i feel|i think)\b")
_ABOUT_SIGNS = re.compile(r"\b(?:like|want|need|wish|wanted|trying) to (?:know|understand|check|learn)\b"
                          r"|\bsigns?\b|\bsymptoms? (?:of|like|such)\b|\bwhat to do\b|\bi work\b|\bfor a living\b")
_DRUG = re.compile(DRUG)
# "stop my amlodipine", "my usual ramipril" (not "my leaflet mentions tramadol", "my cholesterol", "my lithium
# battery": a medicine's name that is also an English word is left to the other checks, "I'm on lithium")
_MY_DRUG = re.compile(r"\bmy (?:(?:usual|daily|regular|normal|morning|evening|current|new|prescribed) )?"
                      r"(" + DRUG + r")\b")
# The words for a kind of medicine, not one medicine by name.
_KIND = re.compile(r"tablets|pills|medicines?|medications?|meds|steroids?|antibiotics?|antidepressants?|thinners?"
                   r"|anticoagulants?|injections")
_KINDS = r"(?:medications?|medicines?|meds|tablets)"
# (not "regular tablets FOR MY HEART", "other medicines, LIKE METFORMIN": those name what they are)
_NAMED_AFTER = r"\b(?! (?:for|like|such as|including|include|includes|are|is|contain|eg|e g)\b)"
_UNNAMED = re.compile(r"\b(?:(?:my|your|the|any|all|all my|all of my|any of my|other) )?(?:usual|normal|regular|other|"
                      r"everyday|daily|routine) " + _KINDS + _NAMED_AFTER
                      + r"|\ball (?:of )?my " + _KINDS + _NAMED_AFTER)
# A vaccine named for the illness it prevents is no illness of one's own: "I had my first hepatitis A jab".
# (not "shots": "my arthritis shots" are a medicine for one's own condition)
_VACCINE = re.compile(r"\b(?:\w+ ){1,2}(?:jabs?|vaccines?|vaccinations?|immuni[sz]ations?|boosters?)\b")
_COMPLICATION = re.compile(r"\b(?:react(?:ed|ion)|perforat\w*|went wrong|complications?|tore|torn|found)\b")
# How much or how often: a dose is the clinic's to advise on ("can I take more paracetamol than it says").
_DOSING = re.compile(r"\b(?:more|extra|double|another|how (?:much|many|often)|every \d|dose|doses)\b")
# Asking leave to take or use something: "can I take", "is it ok to take", "should I use".
_ASKING = re.compile(r"\b(can|could|may|should|shall|do|will|am) i (?:be )?(?:allowed to )?(?=(?:take|use|have)\b)")
