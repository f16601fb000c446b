"""Quotes for reports: only where the respondent said yes, with personal details removed.

Which answers may be quoted (``select_quotes``):

- the question is a ``text`` question marked ``quotable: true``;
- the respondent answered the survey's ``consent`` question with yes (a blank, a no, or a
  survey with no consent question means no quotes at all);
- the respondent is in no group too small to be shown (fewer than ``min_group_size``
  people, the blank group included) in any segment of the score result, so no quote can
  come from a suppressed group. Quotes are never attributed to a group: they carry no
  role, area or other segment answer. (A larger group that is hidden only so that a small
  one cannot be worked out by subtraction still gives quotes: an unattributed quote
  reveals no figure.);
- at least ``min_group_size`` respondents in no group too small to show consented and
  wrote a quotable answer. With fewer, a reader who knows who said yes could tell who
  wrote what, so no quote is shown;
- after scrubbing, the answer still says something: at least ``MIN_WORDS`` words of its
  own, and placeholders are no more than a third of what is left (``says_enough``).

Only the answers that may be shown are scrubbed: the eligible answers of a question are
cut into ``per_question`` equal runs in file order, and each run gives its first answer
that still says enough once scrubbed. The pool counts, by reason, the consented answers
it does not give (``QuotePool.held``: too long, saying too little once scrubbed, past the
room for ``per_question``), so that a report can say how many are not shown and why
(``held_back_words``), without a count that could identify anyone. The answers of people in
groups too small to show are set aside before anything else, and counted nowhere: whether
such a person agreed to be quoted changes neither the quotes, nor those counts, nor
whether any quote is shown.

Scrubbing (``scrub``) first decodes HTML entities and compatibility characters (so
``jane&#64;example.org`` is an email address), then replaces, each whole match by one
placeholder: email addresses, also written ``jane (at) example (dot) org`` or ``jane at
example dot org``, ``jane%40example.org``, ``mailto:`` ones and ones at a big provider
written without its ending (``jane@gmail``), with a local part such as ``john.o'brien``
kept whole, with ``[email]``; web addresses of any scheme, ``//host/path``, ``www.``, a
host with a path (``t.me/jane``, ``facebook.de/jane``) and bare hosts with an ending that
is not also an English word (``.org``, ``.dev``, ``.co``, ``.blog``, ...) with ``[link]``;
IPv4 and IPv6 addresses with ``[ip]``; UK postcodes, Irish Eircodes and Canadian postal
codes with ``[postcode]``; runs of nine digits or more (phone numbers, two in a row, or
glued to a word: ``call07700900123``) with ``[phone]``; social media handles (``@jane``,
and a handle after the service's name and a colon or "id": ``skype: jane.smith.42``) with
``[name]``; National Insurance numbers, IBANs, and sort codes and account numbers given as
such, with ``[code]``; respondent key values (member codes: the writer's own at any
length, anyone's from three characters) with ``[code]``; and people's names with
``[name]``. Names are found from what the files give away
(``KnownNames``: the network map's roster, the name and email columns dropped at the
door, matched whole in any case and word by word when capitalised), after a title (Mr,
Mrs, Ms, Dr, ...), in "my name is ...", "I'm ..." or "call me ...", and from a bundled
list of common UK given names matched as capitalised whole words (or upper case, four
letters or more; a hyphenated name such as Sarah-Jane counts when one part is listed),
together with a capitalised word that follows as a surname. Given names that are also
ordinary words or places (Will, May, Grace, Hope, Jordan, ...) are left out of the list
so that ordinary sentences are not redacted; such a name is still removed after a title
or in "my name is". Beyond that list, the common first names of many countries
(``firstnames.FirstNames``, from the ``faker`` package, loaded only when a quote is
scrubbed) are replaced when capitalised, with a capitalised surname after them; one that
is also a common English word, a country, a US state or a UK county (Will, May, Grace,
Frank, Jordan, Georgia: ``FirstNames.ambiguous``) only before a capitalised surname or
after "called", "named", "friend", "thanks to", "met" or "with" (``_lexicon_name``). A town
that is also a first name (Chelsea, Florence) is replaced, on the safe side. Lower-case
names ("ask sarah") are caught only when the files give them away as a whole name. A
report's Markdown escapes every character Markdown acts on in a quote, so a quote can
never become an image or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relimpact.report.firstnames import FirstNames, fold

if TYPE_CHECKING:
    import numpy as np

    from relimpact.read.responses import ResponseSet
    from relimpact.scoring.engine import ScoreResult

NAME = "[name]"
MIN_WORDS = 4  # a scrubbed answer shorter than this says too little to quote
MAX_CHARS = 600  # longer answers are not quoted whole; they are left out

# A few hundred given names common in the UK across generations and communities. Names
# that are also ordinary English words, months or places are deliberately absent.
_GIVEN_NAMES = """
Aaliyah Aaron Abdul Abdullah Abigail Adam Adebayo Adele Adrian Ahmed Aidan Aisha Alan Albert
Alex Alexander Alexandra Alfie Ali Alice Alicia Alison Amanda Amara Amelia Amir Amy Andrea
Andrew Andy Aneesa Angela Anita Ann Anna Anne Annie Anthony Anton Anwar Archie Arjun Arthur
Asha Ashley Ayesha Barbara Barry Beatrice Becky Ben Benjamin Bernard Beth Bethany Beverley
Bilal Brenda Brian Bridget Caitlin Callum Cameron Carl Carla Carlos Caroline Catherine
Charlie Charlotte Chidi Chloe Chris Christine Christopher Claire Clare Colin Connor Craig
Damian Daniel Danielle Darren David Deborah Debbie Declan Deepak Denise Derek Diana Diane
Dominic Donna Dylan Edward Eilidh Eleanor Elizabeth Ella Ellie Emily Emma Eric Erin Esther
Ethan Evelyn Fatima Fiona Finlay Finn Fraser Freddie Freya Gareth Gary Gemma Geoffrey
George Georgina Gillian Glenn Gordon Graham Gurpreet Hamza Hannah Harriet Harry Hassan
Helen Henry Hollie Howard Hugh Hussein Ian Imran Isaac Isabel Isabella Isla Ibrahim Jacob
Jacqueline Jake James Jamie Jane Janet Jasmin Jason Jayden Jeff Jennifer Jenny Jeremy
Jessica Joan Joanne Joe Joel John Jonathan Joseph Josh Joshua Josie Joyce Judith Judy Julia
Julian Julie Justin Kai Karen Kate Katherine Kathleen Katie Kavita Keith Kelly Kemi Kerry
Kevin Khadija Kieran Kim Kirsty Kwame Laura Lauren Layla Leah Leon Lewis Liam Linda
Lindsay Lisa Logan Lois Lorna Louise Lucy Luke Lydia Lynn Lynne Maddie Madeleine Malcolm
Manjit Margaret Maria Marie Marion Martin Martyn Mary Matthew Maureen Megan Melanie Michael
Michelle Mohammed Mohammad Muhammad Naomi Nasreen Natalie Nathan Neil Niamh Nicholas Nicola
Nigel Nikhil Nina Noah Norma Nuala Oliver Olivia Omar Owen Pamela Patricia Paul
Pauline Peter Philip Phoebe Priya Rachel Rahul Rajesh Rebecca Rhys Richard Rita Robert
Roberta Rosie Rory Ruth Ryan Sadia Sally Samantha Samir Samuel Sandra Sanjay Sarah Saskia
Scott Sean Shabana Shannon Sharon Sheila Shirley Simon Sinead Siobhan Sonia Sophie Stacey
Stephanie Stephen Steve Steven Stuart Susan Suzanne Tanya Tariq Teresa Thomas Tim Timothy
Tina Toby Tom Tomasz Tony Tracey Tracy Trevor Usman Valerie Vanessa Vicky Vincent Wendy
William Yasmin Yusuf Zainab Zara Zoe Bronwen Cerys Dafydd Gethin Rhian Seren Siân
Aoife Ciara Eoin Oisín Padraig Morag Hamish Alastair Ewan Kirstie Agnieszka Magdalena Piotr
Krzysztof Olena Oksana Dmitri Ngozi Oluwaseun Tunde Folake Abimbola Chiamaka Ama Kofi Yaw
Mei Wei Hui Minh Thanh Sunita Anjali Meera Harpreet Jaspreet Balvinder Parveen Shazia
Rukhsana Nadia Samira Leila Yusra Abdi Hodan Farah Mustafa Khalid Rashid Kamal
"""


# More first names of the UK's larger communities that faker lists thinly or not at all
# (its en_IN has 533 names, zu_ZA 88, pl_PL 153), one community a block; a line starting
# with "#" names the block. None is also an English word.
_COMMUNITY_NAMES = """
    # Punjabi and Sikh
    Harjit Jaswinder Manpreet Kuldeep Baljit Sandeep Rajinder Surinder Gurdeep Balwinder
    Mandeep Amrit Simran Hardeep Jasbir Harjinder Parminder Sukhwinder Gurmeet Jagdeep
    Kulwant Navdeep Paramjit Ranjit Satnam Sukhdev Jaspal Amarjit Inderjit Gurinder
    Harvinder Kamaljit Lakhvir Pardeep Rupinder Sukhjinder Gurpal Harbans Jatinder
    Navjot Ravinder Sarbjit Taranjit Charanjit Daljit Harpal Jagjit Kulbir Gurjit
    Sukhbir Balbir Bhupinder Manjinder
    # Gujarati
    Bhavesh Hitesh Jignesh Ketan Mehul Nilesh Paresh Rakesh Hiren Dipesh Kalpesh Mukesh
    Pravin Jayesh Hemal Bhavna Hetal Jyoti Kalpana Minal Nisha Pooja Rina Sejal Trupti
    Urmila Varsha Dhruv Pritesh Chirag Manoj Dinesh Harish Ramesh Suresh Mahesh Kishore
    Naresh Dilip Kamlesh Nayan Nitin
    # Hindi and other Indian
    Vijay Ajay Anil Sunil Kiran Shreya Meena Sushila Amit Ankit Ashok Deepa Geeta Gita
    Kavya Lata Manish Neha Pankaj Pradeep Prakash Rajiv Ravi Rohit Sachin Sanjeev
    Santosh Shanti Shobha Sneha Usha Vikram Vinod Anand Aditya Akash Arvind Ashwin
    Devika Indira Kamala Lakshmi Madhu Nandini Preeti Radha Rekha Ritu Sarita Savita
    Seema Shweta Sonal Swati Vandana Vidya Aarav Ishaan Rohan Karan Varun Ananya Aanya
    Diya
    # Urdu and Pakistani
    Sajid Asif Zubair Waqar Naveed Samina Hina Sana Iqra Adeel Aamir Faisal Farhan Haris
    Imtiaz Irfan Javed Junaid Kashif Mahmood Majid Nadeem Nasir Qasim Rizwan Saqib
    Shahzad Shoaib Tahir Tanveer Umar Waseem Yasir Zahid Zeeshan Bushra Farzana Humaira
    Mehwish Naila Nazia Rabia Rubina Saima Shabnam Sobia Uzma Amina Aqsa Maryam Misbah
    Nabila Nighat Sidra Tahira Noreen Perveen Shaheen Tasneem Arshad Akhtar Azhar Ghulam
    Iqbal Khurram Mushtaq Pervez Rehan Sohail Wajid Zafar
    # Bengali
    Shamim Shahid Jamal Nasima Rashida Ruksana Shirin Taslima Fahmida Shahana Rokeya
    Mamun Sohel Rafiq Habib Jahid Shafiq Sumon Tanvir Nazmul Mizanur Momena Farhana
    Moushumi Arif Kabir
    # Somali
    Abdirahman Abdullahi Faisa Hibaaq Ayaan Ubah Fartun Sahra Ilhan Hamdi Warsame Mahad
    Liban Guled Ifrah Sagal Deeqa Nimco Hawa Shukri Idil
    # Arabic
    Ahmad Mahmoud Youssef Yousef Karim Khaled Tarek Walid Hisham Osama Mazen Bassam
    Nabil Fadi Rami Ziad Hussam Amal Nour Rania Salma Huda Dalia Hanan Lubna Maha Manal
    Noura Reem Rasha Suha Wafa Yasmeen Lina Rima Abdelrahman Mohamed Mohamad Hamid
    Jamila Latifa Malak Nasser Zaid Ayman Emad Wael
    # Yoruba
    Femi Olumide Babajide Dayo Funmi Kunle Seun Tope Yemi Ayo Bisi Bukola Damilola
    Folasade Funke Gbenga Jide Kayode Lanre Niyi Segun Tayo Temi Tolu Toyin Yinka
    Yetunde Adeola Adunni Ayodele Iyabo Titilayo Oluwatobi Temitope Olamide Ifeoluwa
    Bunmi Dapo Deji
    # Igbo
    Chinedu Emeka Ifeanyi Nkechi Obinna Uche Chioma Adaeze Chukwuemeka Ikenna Nnamdi
    Kelechi Amaka Ebere Ifeoma Obiageli Chinonso Chinwe Chukwudi Nneka Onyeka Uchenna
    # Akan
    Kwabena Kwaku Kwasi Kojo Akua Abena Adwoa Afua Efua Akosua Kweku Kwadwo Kwesi Yaa
    Esi
    # Zulu, Xhosa and Sotho
    Sipho Thabo Sizwe Lwazi Themba Bongani Mandla Nomvula Thandiwe Zanele Lindiwe
    Nokuthula Ayanda Lerato Mpho Kagiso Xolani Siyabonga Andile Nandi Zodwa Sibusiso
    Lungile Nosipho Thulani Vusi Thandeka Zinhle Nomsa Sibongile Busisiwe
    # Shona
    Tendai Tafadzwa Tatenda Rutendo Farai Chipo Nyasha Tinashe Kudzai Rufaro Tapiwa
    Shingai Fadzai Munashe Takudzwa Tsitsi Vimbai Chiedza Tariro Ruvimbo
    # Ukrainian
    Oleksandr Mykola Andrii Vasyl Halyna Yuliia Oleksii Serhii Volodymyr Dmytro Yurii
    Ihor Bohdan Taras Petro Vitalii Mykhailo Ruslan Yaroslav Maksym Artem Denys Nataliia
    Tetiana Iryna Svitlana Liudmyla Kateryna Olha Viktoriia Anastasiia Mariia Larysa
    Nadiia Valentyna Khrystyna Solomiia Daryna Sofiia Yevhen Anatolii Valerii Hennadii
    # Romanian
    Ștefan Andrei Mihai Vasile Gheorghe Cristian Ionuț Bogdan Cătălin Costel Dorin
    Marius Nicolae Ovidiu Sorin Valentin Viorel Ioana Andreea Mihaela Elena Gabriela
    Alina Cristina Daniela Florentina Georgiana Loredana Mădălina Raluca Roxana Simona
    Claudia Irina Oana Ramona Larisa
    # Polish
    Małgorzata Katarzyna Joanna Monika Ewa Beata Dorota Grażyna Jadwiga Krystyna Urszula
    Wiesława Bożena Halina Danuta Jolanta Elżbieta Justyna Aleksandra Karolina Natalia
    Paulina Weronika Zofia Andrzej Paweł Marcin Michał Grzegorz Łukasz Jakub Mateusz
    Wojciech Marek Kamil Rafał Dariusz Mariusz Zbigniew Jerzy Tadeusz Sławomir
    Przemysław Bartosz Szymon Maciej Janusz Stanisław Ryszard Zdzisław Bogusław Radosław
    Jarosław Mirosław
    # Lithuanian
    Tomas Mantas Darius Lukas Jonas Andrius Giedrius Vytautas Paulius Rimantas Saulius
    Mindaugas Aurimas Linas Žygimantas Rūta Jurgita Asta Rasa Inga Laima Eglė Aistė Agnė
    Gintarė Jūratė Vilma Kristina Daiva Jolita Ieva Neringa Audronė
    # Welsh
    Ffion Rhiannon Angharad Bethan Catrin Carys Eleri Elin Gwen Gwenllian Lowri Manon
    Nia Sioned Tegan Mared Llinos Aled Aneurin Bryn Cai Ceri Emyr Geraint Gruffydd Huw
    Ieuan Iestyn Iwan Meirion Osian Rhodri Rhydian Tomos Trystan Wyn Elis Glyn Dewi
    Owain Siôn
    # Irish
    Seán Siobhán Aisling Áine Caoimhe Clodagh Dearbhla Eimear Gráinne Máire Méabh Orla
    Róisín Saoirse Sinéad Sorcha Úna Cian Colm Conor Cathal Darragh Dónal Éamonn Fergal
    Fionn Pádraig Ruairí Séamus Tadhg Diarmuid Ronan Cillian Ciarán Aoibhinn Bríd Nóirín
    # Scots Gaelic
    Ailsa Catriona Kirsteen Mhairi Morven Seonaid Alasdair Calum Dougal Euan Fergus Iain
    Lachlan Murdo Ruaridh Seumas Torquil Ruairidh Mairead Peigi Ciorstaidh
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _listed(text: str) -> frozenset[str]:
    """The words of ``text``, but for lines starting with "#" (the name of a block)."""
    return _words("\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#")))


GIVEN_NAMES: frozenset[str] = _words(_GIVEN_NAMES) | _listed(_COMMUNITY_NAMES)
_GIVEN_FOLDED: frozenset[str] = frozenset(map(fold, GIVEN_NAMES))

TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Professor",
    "Rev",
    "Revd",
    "Reverend",
    "Sir",
    "Dame",
    "Lady",
    "Lord",
    "Cllr",
    "Councillor",
    "Father",
    "Sister",
    "Auntie",
    "Aunty",
    "Uncle",
)

# Capitalised words that may follow a given name without being a surname.
_NOT_SURNAMES = _words(
    """
    I I'm I've I'd I'll The A An And But Or So Then This That These Those We You He She They It
    Our Your His Her Their My Me Us In On At To For From With Without By Of Off Up Down Over
    When Where Who Why How What Which While Because If As Also Just Only Even Still Yes No
    Not All Some Many Most Every Each Both Network Team Group Forum Trust Council Centre Center
    Project Hub Foundation Charity Community Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April June July August September October November December
    NHS UK CIC
    """
)

# Words of place and organisation names, after which a first name that is also a word or
# a place (``_ambiguous``) is no name: "Jordan Road", "Kent County Council", "Sky News",
# "Christian Aid", "Rose Garden". Words that are also common English surnames (faker's
# en_GB, en_US, en_IE, en_NZ and en_IN lists: Hall, Green, Hill, Park, Church, Lane, House,
# Street, Way, Wood, Field, Bridge, Heath) are not here: "Will Hall" is a person, so
# "Harmony Hall" is taken for a name, on the safe side (``tests/test_quotes.py`` checks the
# list against faker's). After any other first name, such a word is still a surname
# ("Sarah Court"): the name goes either way, so its next word goes too.
_PLACE_WORDS = _words(
    """
    Road Avenue Drive Crescent Close Place Square Court Gardens Garden Terrace Grove Mews
    Parade Walk Rise Row Estate Village Town City Borough District Parish County Chapel
    Cathedral Mosque Temple Gurdwara Synagogue Mandir Society Association Alliance
    Partnership Collective Cooperative Club School College University Academy Nursery
    Institute Hospital Hospice Surgery Clinic Practice Pharmacy Library Museum Gallery
    Theatre Theater Cinema Station Airport Market Cafe Café Kitchen Pantry Bank News Aid
    Radio Times Post Herald Gazette Echo Service Services Office Ministry Department
    Company Ltd Limited Authority Board Committee Union Federation Fund Hotel Arms Inn Pub
    Stadium Arena Common Moor Quay Wharf Dock Port Harbour Bay Beach Island Valley Forest
    Farm Shop Store Stores Supermarket Pool Baths Leisure Sports Football Rugby Cricket
    United Rovers Athletic
    """
)

# Capitalised words that follow "I'm" / "I am" without being names.
_NOT_NAMES_AFTER_IM = _words(
    """
    I A An The Not So Very Really Just Still Also Always Never Now Here There Sure Glad Happy
    Proud Grateful Thankful Sorry Afraid British English Scottish Welsh Irish Black White Asian
    Muslim Christian Jewish Sikh Hindu Deaf Disabled Autistic Retired New Part Back One Chair
    Treasurer Secretary Trustee Director Manager Head Lead Co Vice On In At From With Of For
    """
)

# A capitalised word: a capital of ASCII, Latin-1, Latin Extended-A/B or Latin Extended
# Additional ("Łukasiewicz", "Ẹniọlá"; the ranges past Latin-1 mix capitals and small letters,
# so a small one there counts too, on the safe side), then letters of those ranges and
# combining marks (a Yoruba tone mark over "ọ" has no precomposed form).
_LETTERS = "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CAPITAL = r"[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F\u1E00-\u1EFF]"
_CAP = _CAPITAL + r"[" + _LETTERS + r"'\u0300-\u036F-]+"
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]+"
_EMAIL = re.compile(
    _LOCAL + r"(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*)[\w-]+"
    r"(?:(?:\s*\.\s*|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)[\w-]+)+",
    re.I,
)
# "jane at example dot org": a spelled-out "at" only with a spelled-out "dot" or a common
# ending, so that "I work at Oxfam. It ..." stays as written.
_TLD = r"(?:com|org|net|uk|io|info|edu|gov|ie|eu|me|co|scot|wales|ca|us|nz|au)"
_EMAIL_WORDS = re.compile(
    r"\b" + _LOCAL + r"\s+at\s+[\w-]+(?:(?:\s+dot\s+|\.)[\w-]+)*(?:\s+dot\s+|\.)" + _TLD + r"\b",
    re.I,
)
_TRAILING = ".,;:!?"
# Endings of web addresses written bare, without a path ("janesmith.dev"), in lower case
# or in capitals: the generic ones people use for pages, and country codes, that are not
# also English words (a missing space, "time.life is busy", "great.me", is no link).
_BARE_TLD = (
    "app|biz|blog|ca|cc|ch|cn|co|cz|dev|dk|ee|eu|fi|fm|fr|gg|gr|ie|info|io|jp|ly|me|mobi"
    "|nl|nz|pk|pl|pt|ru|scot|se|social|tv|ua|wales|xyz|za"
)
_BARE_TLDS = _BARE_TLD + "|" + _BARE_TLD.upper()
# Before a path, any ending of two letters (a country's) but the English words among them
# (Sat.am/pm), or a longer one from this list; in lower case ("M.Sc/PhD" is a degree).
_PATH_TLD = (
    r"(?!(?:am|an|as|at|be|by|do|go|he|if|in|is|it|my|no|of|ok|on|or|so|to|up|us|we)/)[a-z]{2}"
    r"|app|biz|blog|cafe|club|com|dev|edu|gov|info|int|link|live|mobi|net|news|online|org"
    r"|page|pro|scot|shop|site|social|space|store|tech|wales|website|world|xyz"
)
_URL = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|(?<![\w:/])//(?=[\w-])|\bwww\.)[^\s<>\"')\]]+"
    r"|\b(?:tel|sms|callto):[+\d\s().-]*\d"
    r"|\b(?:data|javascript|vbscript|file):[^\s<>\"')\]]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|org\.uk|ac\.uk|gov\.uk|uk|io|info)"
    r"(?:/[^\s<>\"')\]]*)?(?!\w|\.\w)"
    # a host with a path: t.me/jane, linktr.ee/jane, facebook.de/jane
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?-i:" + _PATH_TLD + r")/[^\s<>\"')\]]*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?-i:" + _BARE_TLDS + r")(?![\w-]|\.\w)",
    re.I,
)
# mailto: before the email inside it is replaced (else "[link]]" would be left)
_MAILTO = re.compile(r"\bmailto:[^\s<>\"')\]]+", re.I)
# An email at a big provider written without its ending ("jane@gmail"); other dotless
# hosts are left ("Meet@noon", "Lunch@the hall").
_EMAIL_HOST = re.compile(
    r"(?<![\w@])[\w.+-]*\w@(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|aol|protonmail"
    r"|proton|btinternet|btopenworld|sky|virginmedia|talktalk|ymail|gmx|msn|zoho|fastmail)"
    r"(?![\w@.])",
    re.I,
)
# A handle given after the service's name and a colon or "id"/"handle" ("skype: jane",
# "discord id is jane#1234"); not a number after the name ("WhatsApp 10 times a day").
_SERVICE_HANDLE = re.compile(
    r"\b((?:skype|discord|telegram|snapchat|instagram|insta|tiktok|twitter|facebook|fb"
    r"|linkedin|whatsapp|wechat|signal|mastodon|bluesky|threads)"
    r"(?:\s+(?:id|name|handle|username|user)(?:\s*[:=]\s*|\s+(?:is\s+)?)|\s*[:=]\s*))"
    r"(?!\d+\b)([\w.#@+-]*\w)",
    re.I,
)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
    r"(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:%\w+)?(?![\w:.])"
)
# A run of digits and the separators people write in phone numbers; letters may touch it
# ("call07700900123"). Two numbers in a row are one run, and the whole run goes.
_PHONE = re.compile(r"(?<![\d])\+?\(?\d(?:[ \t\u00a0().-]{0,3}\d)+(?![\d])")
_POSTCODE = re.compile(
    r"(?<![A-Za-z\d])(?:"
    # UK: CV1 2AB (not a time: "room A4 3pm")
    r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t\u00a0]*(?!(?-i:\d[ap]m))\d[A-Z]{2}"
    # Irish Eircode, D02 X285 (a letter in its last four: "T20 2024" is a cricket match)
    r"|(?:[AC-FHKNPRTV-Y]\d\d|D6W)[ \t\u00a0-]?(?=\d*[AC-FHKNPRTV-Y])[0-9AC-FHKNPRTV-Y]{4}"
    r"|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \t\u00a0-]?\d[ABCEGHJ-NPRSTV-Z]\d"  # Canada: K1A 0B1
    r")(?![A-Za-z\d])",
    re.I,
)
# Other identifiers of one person: a UK National Insurance number (QQ 12 34 56 C) and an
# IBAN (with ten digits or more), in any case; a bank sort code or account number given as
# such.
_SEP = r"[ \t\u00a0]?"
_ID_NUMBER = re.compile(
    r"(?<![A-Za-z\d])(?:"
    r"[A-Z]{2}" + _SEP + r"\d\d" + _SEP + r"\d\d" + _SEP + r"\d\d" + _SEP + r"[A-D]"
    r"|[A-Z]{2}\d\d(?:" + _SEP + r"[A-Z\d]{4}){2,7}(?:" + _SEP + r"[A-Z\d]{1,3})?"
    r")(?![A-Za-z\d])",
    re.I,
)
_BANK = re.compile(
    r"\b((?:sort\s*code|account\s+(?:number|num|no\.?)|acct|acc\s+no\.?|a/c(?:\s+no\.?)?)"
    r"(?:\s+is)?\s*:?\s*|account(?:\s+is\s+|\s*:\s*))"
    r"(\d\d[ -]?\d\d[ -]?\d\d|\d{6,10})(?!\d)"
    r"|\b(account\s+)(\d{8})(?!\d)",  # a UK account number: eight digits
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z_][\w.]{1,30}\b")
_TITLE = re.compile(r"\b(?:" + "|".join(TITLES) + r")\.?\s+(" + _CAP + r")(\s+" + _CAP + r")?")
_INTRO = re.compile(
    r"\b((?i:my name is|my name's|i'm called|i am called|call me|signed|regards|thanks|cheers))"
    r"(,?\s+)(" + _CAP + r")(\s+" + _CAP + r")?"
)
_IM = re.compile(r"\b(I'm|I\u2019m|I am|Im)(\s+)(" + _CAP + r")")
# letters of Latin-1, Latin Extended-A and -B and Latin Extended Additional, with combining
# marks: "Ștefan" (U+0218), "Olúwaṣeun" (U+1E63) and "Adébáyọ̀" (a grave mark over U+1ECD)
# are each one word
_WORD = re.compile(r"[" + _LETTERS + r"][" + _LETTERS + r"'\u0300-\u036F-]*")
_TOKEN = re.compile(r"[\w'\u2019-]+")
PLACEHOLDERS = ("[email]", "[link]", "[ip]", "[phone]", "[postcode]", "[code]", NAME)
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))
_SQUASH = re.compile(r"\[name\](?:[\s-]+\[name\])+")
_SQUASH_ANY = re.compile(r"(\[(?:phone|code|ip|email|link|postcode)\])(?:\s+\1)+")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _link(match: re.Match[str]) -> str:
    text = match.group(0)
    kept = text.rstrip(_TRAILING)
    return "[link]" + text[len(kept) :]


def _id_number(match: re.Match[str]) -> str:
    """An NI number, or an IBAN: ten digits or more (not "ab12 with some more")."""
    text = match.group(0)
    nino = len(text.replace(" ", "").replace("\t", "").replace("\u00a0", "")) == 9
    return "[code]" if nino or _digits(text) >= 10 else text


def _email(match: re.Match[str]) -> str:
    text = match.group(0)
    kept = text.rstrip(_TRAILING)
    return "[email]" + text[len(kept) :]


def _ip(match: re.Match[str]) -> str:
    import ipaddress

    try:
        ipaddress.ip_address(match.group(0).split("%")[0])
    except ValueError:
        return match.group(0)
    return "[ip]"


def _ipv4(match: re.Match[str]) -> str:
    ok = all(int(part) <= 255 for part in match.group(0).split("."))
    return "[ip]" if ok else match.group(0)


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    # 9 digits or more: UK numbers (10-11), with +44, and several numbers in a row; years
    # ("2019-2023"), dates and counts stay.
    return "[phone]" if _digits(text) >= 9 else text


def _surname_tail(match: re.Match[str], group: int) -> str:
    """The optional second capitalised word, kept when it is not a surname ("And", "Network")."""
    tail = match.group(group) or ""
    return tail if tail.strip() in _NOT_SURNAMES else ""


def _title(match: re.Match[str]) -> str:
    return NAME + _surname_tail(match, 2)


def _intro(match: re.Match[str]) -> str:
    lead = match.group(1).lower()
    if lead in ("thanks", "cheers", "regards", "signed") and not _is_given(match.group(3)):
        return match.group(0)
    if match.group(3) in _NOT_SURNAMES:
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{NAME}{_surname_tail(match, 4)}"


def _im(match: re.Match[str]) -> str:
    word = match.group(3)
    if _is_given(word):
        return f"{match.group(1)}{match.group(2)}{NAME}"
    if word in _NOT_NAMES_AFTER_IM or word.isupper() and len(word) > 1:
        return match.group(0)
    if word.endswith(("ed", "ing", "ful", "ous", "able", "ible")):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{NAME}"


def _is_given(word: str) -> bool:
    """A bundled given name, or a hyphenated name with one ("Sarah-Jane", "Jean-Paul")."""
    if word in GIVEN_NAMES or fold(word) in _GIVEN_FOLDED:
        return True
    parts = word.split("-")
    return (
        len(parts) > 1
        and all(p[:1].isupper() for p in parts if p)
        and any(fold(p) in _GIVEN_FOLDED for p in parts)
    )


def _casefold(text: str) -> str:
    """A name or a word as compared: compatibility forms and decomposed accents composed
    (NFKC, as quotes are decoded: a name typed on a Mac may be "Zoe" and a combining
    diaeresis), casefolded, white space single."""
    return " ".join(_nfkc(text.replace("\u2019", "'")).casefold().split())


def _nfkc(text: str) -> str:
    import unicodedata

    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _capital(word: str) -> bool:
    """The word starts with a capital (a title-case letter such as "ǅ" counts)."""
    return word[:1].isupper() or word[:1].istitle()


_SPACES = re.compile(r"\s+")  # \s is what str.split() splits at (str.isspace)
_BULK_FROM = 64


def _casefolded(raws: list[str]) -> list[str]:
    """``[_casefold(r) for r in raws]``, for many names in one pass over them all joined
    (casefolding and white space maps each character on its own, and NUL is neither a
    space nor changed by casefold); names holding a NUL are folded one by one."""
    if len(raws) < _BULK_FROM or any("\x00" in r for r in raws):
        return [_casefold(r) for r in raws]
    # NUL is a starter that composes with nothing: NFKC of the whole is that of each.
    joined = _nfkc("\x00".join(raws).replace("\u2019", "'")).casefold()
    return [part.strip(" ") for part in _SPACES.sub(" ", joined).split("\x00")]


class KnownNames:
    """Names and codes the file itself gives away, matched in quotes.

    ``names``: people's and organisations' names (the network map's roster, the name and
    email columns dropped at the door). A whole name is matched in any case and with any
    spacing ("smith, jones & co"); each word of a name (two letters or more, not an
    ordinary function word) when it is written with a capital ("Clive said", "ask
    Barker"). ``codes``: respondent key values (member codes), matched as whole words in
    any case, when three characters or longer; ``own`` codes (the writer's own key) at
    any length.
    """

    def __init__(
        self, names: Iterable[str] = (), codes: Iterable[str] = (), words: Iterable[str] = ()
    ) -> None:
        """``words``: single words of names not given whole (ASCII letters and digits in
        lower case, as ``GivenAway.for_texts`` finds them), kept by the same rule as the
        names' words."""
        self.full: set[str] = set()
        self.words: set[str] = set()
        self.codes: set[str] = set()
        self.code_keys: set[str] = set()  # the codes' letters and digits alone (_code_key)
        self.longest = 1
        raws = [raw or "" for raw in names]
        folded = [name for name in _casefolded(raws) if name]
        self.full.update(folded)
        tokens: set[str] = set()
        if len(folded) >= _BULK_FROM and not any("\x00" in name for name in folded):
            # All at once: no word spans the NUL between two names, and each word marked
            # by one \x01 gives the most words in one name.
            joined = "\x00".join(folded)
            tokens.update(_TOKEN.findall(joined))
            marked = _TOKEN.sub("\x01", joined).split("\x00")
            self.longest = max(self.longest, *(part.count("\x01") for part in marked))
        else:
            for name in folded:
                found = _TOKEN.findall(name)
                self.longest = max(self.longest, len(found))
                tokens.update(found)
        tokens.update(words)
        for t in tokens:  # each distinct word once, however many names share it
            t = t[:-2] if t.endswith("'s") else t
            for part in {t, *t.split("-")}:
                part = part.strip("'-")
                if len(part) >= 2 and part.capitalize() not in _NOT_SURNAMES:
                    self.words.add(part)
        for code in codes:
            c = _casefold(code or "")
            if len(c) >= 3:
                self.codes.add(c)
                key = _code_key(c)
                if key is not None:
                    self.code_keys.add(key)

    def __bool__(self) -> bool:
        return bool(self.full or self.words or self.codes)

    def _code_at(
        self, text: str, tokens: list[re.Match[str]], i: int, own: set[str]
    ) -> tuple[int, int] | None:
        """A code written with other separators from ``tokens[i]`` on: its letters and
        digits alone, in one word or up to three words apart by white space only, are a
        code's ("NH0000002", "NH 0000002", "NH_0000002" for NH-0000002); the last token's
        index and where the code ends, or None."""
        if not (self.code_keys or own):
            return None
        key = ""
        found: tuple[int, int] | None = None
        for j in range(i, min(i + _CODE_WORDS, len(tokens))):
            first, last = _core(tokens[j])
            if j > i and not text[_core(tokens[j - 1])[1] : first].isspace():
                break
            whole, base = _key_parts(text[first:last])
            if base is not None and (key + base in self.code_keys or key + base in own):
                found = (j, last - 2)  # "NH0000002's": the code, its "'s" kept
            key += whole
            if key in self.code_keys or key in own:
                found = (j, last)
        return found

    def sub(self, text: str, own: Sequence[str] = ()) -> str:
        """``text`` with known names replaced by ``[name]`` and codes by ``[code]``.

        A word is matched without the quotes or hyphens around it ("'Clive'") and, for a
        code as for a name, without a possessive "'s". A known name of one word takes the
        capitalised words after it that are not ordinary ones (``_surname_after``): the
        files give away "amara.brook15", so "Amara" is known but "Brook" is not."""
        own_codes = {_casefold(c) for c in own if c and c.strip()}
        own_keys = {k for k in map(_code_key, own_codes) if k is not None}
        tokens = list(_TOKEN.finditer(text))
        out: list[str] = []
        pos = 0
        i = 0
        while i < len(tokens):
            start, end = _core(tokens[i])
            word = text[start:end]
            folded = _casefold(word)
            base = folded[:-2] if folded.endswith("'s") else folded
            cut = end - (len(folded) - len(base))  # where the word ends without its 's
            replaced: tuple[int, int, str] | None = None
            if folded in own_codes or folded in self.codes:
                replaced = (start, end, "[code]")
            elif base != folded and (base in own_codes or base in self.codes):
                replaced = (start, cut, "[code]")
            elif (code := self._code_at(text, tokens, i, own_keys)) is not None:
                replaced = (start, code[1], "[code]")
                i = code[0]
            else:
                # the longest run of words from here that is a whole known name
                for j in range(min(len(tokens), i + self.longest + 2) - 1, i, -1):
                    last = _core(tokens[j])[1]
                    if _casefold(text[start:last]) in self.full:
                        replaced = (start, last, NAME)
                        i = j
                        break
                if replaced is None and (folded in self.full or base in self.full):
                    replaced = (start, cut, NAME)
                elif replaced is None and _capital(word):
                    parts = [p for p in base.split("-") if p]
                    if base in self.words or any(p in self.words for p in parts):
                        replaced = (start, cut, NAME)
                if replaced is not None and replaced[1] == end:  # one word, no 's
                    while i + 1 < len(tokens):
                        after = _surname_after(text, tokens[i + 1], replaced[1])
                        if after is None:
                            break
                        replaced = (replaced[0], after, NAME)
                        i += 1
                        taken = _casefold(text[_core(tokens[i])[0] : after])
                        if after != _core(tokens[i])[1] or not (
                            taken in self.words
                            or taken in self.full
                            or _is_given(text[_core(tokens[i])[0] : after])
                        ):
                            break  # a surname that is no name of its own ends the name
            if replaced is not None:
                out.append(text[pos : replaced[0]])
                out.append(replaced[2])
                pos = replaced[1]
            i += 1
        out.append(text[pos:])
        return "".join(out)


_CODE_WORDS = 3  # a code written apart is matched over up to this many words
_CODE_KEY_CHARS = 5  # letters and digits of a code that is matched by them alone


def _key_parts(word: str) -> tuple[str, str | None]:
    """A word's letters and digits alone, casefolded, as a code written apart is matched;
    and without a possessive "'s" when it has one (else None)."""
    folded = _casefold(word)
    whole = "".join(_PIECE.findall(folded))
    base = "".join(_PIECE.findall(folded[:-2])) if folded.endswith("'s") else None
    return whole, base


def _code_key(folded: str) -> str | None:
    """A casefolded code's letters and digits alone ("nh0000002" of "nh-0000002"), when
    it has ``_CODE_KEY_CHARS`` of them or more and a digit among them (so no ordinary
    word is taken for a code written apart); else None."""
    key = "".join(_PIECE.findall(folded))
    if len(key) < _CODE_KEY_CHARS or not any(c.isdigit() for c in key):
        return None
    return key


def _ordinary(word: str) -> bool:
    """A capitalised word that follows names without being a surname ("And", also "AND")."""
    return word in _NOT_SURNAMES or word.capitalize() in _NOT_SURNAMES


def _core(token: re.Match[str]) -> tuple[int, int]:
    """Where a token's word begins and ends: without the quotes and hyphens around it."""
    g = token.group(0)
    return token.start() + len(g) - len(g.lstrip("'\u2019-")), token.start() + len(
        g.rstrip("'\u2019-")
    )


def _surname_after(text: str, nxt: re.Match[str], end: int) -> int | None:
    """Where a capitalised surname in the token ``nxt`` ends, after a name that ends at
    ``end``, by the rule of ``_given_names``: white space, one hyphen or one dot between them, no
    quote before it, a capital, not an ordinary word ("And", "Network"); its possessive
    "'s" and any closing quote are left out. None when there is none."""
    start, stop = _core(nxt)
    between = text[end:start]
    if start != nxt.start() or not (between in ("-", ".") or (between and between.isspace())):
        return None
    surname = text[start:stop]
    sbase = surname[:-2] if surname.endswith(("'s", "\u2019s")) else surname
    if not sbase or not _capital(sbase) or _ordinary(sbase):
        return None
    return start + len(sbase)


def _roster_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not parts:
        return None
    alternatives = "|".join(re.escape(p) for p in parts)
    return re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])", re.I)


def _given_names(text: str, lexicon: FirstNames | None = None) -> str:
    """Replace list names (capitalised or upper case) and a capitalised surname after them;
    with a ``lexicon``, its first names too (capitalised), where ``_lexicon_name`` takes
    them for names."""
    out: list[str] = []
    pos = 0
    matches = list(_WORD.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        word = m.group(0)
        base = word[:-2] if word.endswith(("'s", "\u2019s")) else word
        candidate = base.capitalize() if base.isupper() and len(base) >= 4 else base
        j = i + 1
        surname = _surname_at(text, m, matches[j]) if j < len(matches) and base == word else None
        place = surname is not None and text[matches[j].start() : surname] in _PLACE_WORDS
        if not _is_given(candidate) and not (
            lexicon is not None
            and _lexicon_name(text, m.start(), base, None if place else surname, lexicon)
        ):
            i += 1
            continue
        end = m.end() - (len(word) - len(base))
        if surname is not None:
            end = surname
            j += 1
        out.append(text[pos : m.start()])
        out.append(NAME)
        pos = end
        i = j
    out.append(text[pos:])
    return "".join(out)


def _surname_at(text: str, m: re.Match[str], nxt: re.Match[str]) -> int | None:
    """Where a capitalised surname after the word ``m`` ends ("Paul Jones", "Paul-Jones",
    and "Paul.Jones" as in an email's local part), or None."""
    between = text[m.end() : nxt.start()]
    surname = nxt.group(0)
    sbase = surname[:-2] if surname.endswith(("'s", "\u2019s")) else surname
    spaced = between in ("-", ".") or (between != "" and between.isspace())
    if spaced and _capital(sbase) and not _ordinary(sbase):
        return nxt.start() + len(sbase)
    return None


# Words before a first name that say it is one ("my friend Will", "thanks to May").
_NAME_CUE = re.compile(r"\b(?:called|named|friend|thanks to|met|with)\s+$", re.I)
_CUE_REACH = 20  # characters before a word that _NAME_CUE looks at


def _lexicon_name(
    text: str, start: int, word: str, surname: int | None, lexicon: FirstNames
) -> bool:
    """Whether ``word`` (at ``start`` in ``text``, without its "'s") is a first name of
    the ``lexicon``: written capitalised (not all in capitals), it or one part of it when
    hyphenated is in the lexicon. A name that is also a common English word
    or a place (``FirstNames.ambiguous``), and the ordinary words that ``_NOT_SURNAMES`` and
    ``_NOT_NAMES_AFTER_IM`` list, counts only when it is clearly a name: a capitalised
    surname follows it ("Will Patel"; ``surname`` is None when the word after it is a
    word of place names, ``_PLACE_WORDS``: "Jordan Road"), or a cue comes before it
    ("called", "named", "friend", "thanks to", "met", "with")."""
    if not word[:1].isupper() or word.isupper() or len(word) < 3:
        return False
    parts = [word] if word in lexicon else [p for p in word.split("-") if p in lexicon]
    if not parts or not all(p[:1].isupper() for p in word.split("-") if p):
        return False
    plain = [p for p in parts if not _ambiguous(p, lexicon)]
    if plain:
        return True
    return surname is not None or bool(_NAME_CUE.search(text[max(0, start - _CUE_REACH) : start]))


def _ambiguous(word: str, lexicon: FirstNames) -> bool:
    """A first name that is also an ordinary word, so not taken for a name on its own
    (with or without its accents)."""
    return lexicon.ambiguous(word) or any(
        w in _NOT_SURNAMES or w in _NOT_NAMES_AFTER_IM for w in {word, fold(word)}
    )


# A Unicode hyphen, dash or minus sign between two letters or digits ("NH‐0000002",
# "NH–0000002"), which a code or a hyphenated name is matched with as "-".
_DASH_IN_WORD = re.compile(r"(?<=[^\W_])[\u2010-\u2015\u2212](?=[^\W_])")


_PERCENT_AT = re.compile(r"(?<=[\w.+-])%40(?=\w)")  # jane%40example.org, as in a link


def _decode(text: str) -> str:
    """HTML entities and compatibility forms decoded (``&#64;`` and a full-width ``＠``
    are ``@``, and so is ``%40`` inside a word), and a dash between two letters or digits
    written "-", so that nothing is hidden from the patterns by its spelling."""
    import html
    import unicodedata

    text = _DASH_IN_WORD.sub("-", unicodedata.normalize("NFKC", html.unescape(text)))
    return _PERCENT_AT.sub("@", text)


def scrub(
    text: str,
    *,
    names: Sequence[str] = (),
    known: KnownNames | None = None,
    own: Sequence[str] = (),
    first_names: FirstNames | None = None,
) -> str:
    """``text`` with emails, links, IP addresses, phone numbers, postcodes, handles, codes
    and names replaced; each by a placeholder that stands for the whole match.

    ``names`` are extra names to remove wherever they appear, in any case (the roster of
    the survey's network map, say). ``known`` are the names and codes the response files
    give away (``KnownNames``), ``own`` the writer's own respondent key. ``first_names``:
    the lexicon of common first names (``firstnames.FirstNames``), loaded once by the
    caller for many texts; without it, this call loads its own.

    >>> scrub("Ring Sarah Jones on 07700 900123 or sarah@example.org")
    'Ring [name] on [phone] or [email]'
    """
    s = _scrub_patterns(text, names)
    if known or own:
        s = (known or KnownNames()).sub(s, own)
    return _scrub_names(s, first_names if first_names is not None else FirstNames())


def _scrub_patterns(text: str, names: Sequence[str] = ()) -> str:
    """The first half of ``scrub``: what comes before the known names are matched."""
    s = _decode(text)
    s = _MAILTO.sub(_email, s)
    s = _EMAIL.sub("[email]", s)
    s = _EMAIL_WORDS.sub("[email]", s)
    s = _EMAIL_HOST.sub("[email]", s)
    s = _SERVICE_HANDLE.sub(r"\1" + NAME, s)
    s = _URL.sub(_link, s)
    s = _IPV6.sub(_ip, s)
    s = _IPV4.sub(_ipv4, s)
    s = _POSTCODE.sub("[postcode]", s)
    s = _ID_NUMBER.sub(_id_number, s)
    s = _BANK.sub(lambda m: (m.group(1) or m.group(3)) + "[code]", s)
    s = _PHONE.sub(_phone, s)
    s = _HANDLE.sub(NAME, s)
    roster = _roster_pattern(names)
    if roster is not None:
        s = roster.sub(NAME, s)
    return s


def _scrub_names(s: str, lexicon: FirstNames | None = None) -> str:
    """The second half of ``scrub``: names after titles and introductions, listed names,
    and the ``lexicon``'s first names."""
    s = _TITLE.sub(_title, s)
    s = _INTRO.sub(_intro, s)
    s = _IM.sub(_im, s)
    s = _given_names(s, lexicon)
    s = _SQUASH.sub(NAME, s)
    return _SQUASH_ANY.sub(r"\1", s)


def says_enough(clean: str) -> bool:
    """Whether a scrubbed answer still says something: at least ``MIN_WORDS`` words of
    its own, and no more than a third of what is left is placeholders."""
    held = len(_PLACEHOLDER.findall(clean))
    words = [w for w in _PLACEHOLDER.sub(" ", clean).split() if any(c.isalnum() for c in w)]
    return len(words) >= MIN_WORDS and 3 * held <= len(words) + held


@dataclass(frozen=True)
class Quote:
    question: str  # question id
    question_text: str
    text: str  # scrubbed


@dataclass(frozen=True)
class QuotePool:
    """The quotes that may be used, and why there are none when there are none."""

    quotes: tuple[Quote, ...]
    consented: int  # those in no small group who said yes and wrote a quotable answer
    note: str  # plain words for the report when no quote can be shown; "" otherwise
    segments: tuple[str, ...] = ()  # the segments whose small groups gave no quote
    # consented written answers not among ``quotes``, by reason (``HELD_REASONS``)
    held: tuple[tuple[str, int], ...] = ()
    per_question: int = 6  # at most this many quotes per question


# Why a consented answer to a quotable question is not shown, in the order the report
# gives them: the words after "because" when it is the only reason, and the words after
# a count ("12 ...", "A few ...") in a short sentence of its own when there are several.
HELD_REASONS = {
    "room": (
        "we show at most {per_question} for each question",
        "are left out because we show at most {per_question} for each question",
    ),
    "little": (
        "they say little once names and contact details are taken out, or repeat another",
        "say little once names and contact details are taken out, or repeat another",
    ),
    "contact": (
        "they give contact details: a message to us, not a story",
        "give contact details: a message to us, not a story",
    ),
    "long": (f"they are longer than {MAX_CHARS} characters", f"are over {MAX_CHARS} characters"),
}
# What the members' report says after ``held_back_words``, the same for every report: the
# stories of groups too small to show are set aside before anything is counted, so the
# line can neither count them nor say whether there are any (with a hidden group of one,
# that would tell whether that person agreed to be quoted).
SMALL_GROUPS_RULE = "We never quote anyone from a group too small to show."


def held_back_words(held: Iterable[tuple[str, int]], k: int, per_question: int) -> str:
    """Plain words on the consented answers that are not shown and why, in short
    sentences (members read them); "" when every one is shown.

    A count is given only when it is ``k`` (``min_group_size``) or more; a smaller one is
    "a few". The answers of groups too small to show are not among ``held`` (``quotes_for``
    sets them aside first): whether anyone there agreed to be quoted must change nothing
    here, so they are neither counted nor named as a reason (``SMALL_GROUPS_RULE``)."""
    counts = dict.fromkeys(HELD_REASONS, 0)
    for reason, n in held:
        counts[reason] += n
    total = sum(counts.values())
    if total == 0:
        return ""
    lead = str(total) if total >= k else "A few"
    lead += " other stories people let us quote are not shown"
    why = [r for r in HELD_REASONS if counts[r]]
    if len(why) == 1:
        return f"{lead}, because {HELD_REASONS[why[0]][0].format(per_question=per_question)}."
    out = [lead + "."]
    for reason in why:
        n = counts[reason]
        many = str(n) if n >= k else "A few"
        out.append(f"{many} {HELD_REASONS[reason][1].format(per_question=per_question)}.")
    return " ".join(out)


def _hidden_respondents(segments: Iterable[str], responses: ResponseSet) -> np.ndarray:
    """Respondents in a group too small to show: fewer than ``min_group_size`` people in a
    group of any of the result's ``segments`` (the blank group included), and with
    ``--group-by-file`` in a file that small (``scoring.engine.FILE_SEGMENT``): a small file gives
    no quote of its own."""
    import numpy as np

    from relimpact.scoring.engine import FILE_SEGMENT

    k = responses.survey.min_group_size
    hidden = np.zeros(responses.respondents, bool)
    for qid in segments:
        cat = responses.choice.get(qid)
        if cat is not None:
            codes = np.asarray(cat.codes)
        elif qid.lstrip("_") == FILE_SEGMENT:
            files = responses.file_index
            codes = np.zeros(responses.respondents, np.int64) if files is None else files
        else:
            continue
        # each respondent's group size, counted (codes are small whole numbers, -1 blank)
        codes = codes - int(codes.min(initial=0))
        small = np.bincount(codes) < k
        hidden |= small[codes]
    return hidden


def _roster(responses: ResponseSet) -> tuple[str, ...]:
    nm = responses.survey.network_map
    if nm is None:
        return ()
    return tuple(nm.members) + tuple(nm.convenors)


def known_names(responses: ResponseSet) -> KnownNames:
    """What the files give away that a quote must not: the roster, the names and email
    addresses from the columns dropped at the door, and every respondent key."""
    return GivenAway(responses).known()


_PIECE = re.compile(r"[^\W_]+")  # a run of letters and digits
_ASCII_RUN = re.compile(r"[0-9a-z]+")


def _may_match(raw: str, blob: str) -> bool:
    """Whether a known name or code ``raw`` could match anything in ``blob`` (casefolded
    texts): some run of its letters and digits is in the blob, or it has an underscore or
    no letter or digit at all (then it is always kept)."""
    if "_" in raw:
        return True
    pieces = _PIECE.findall(_nfkc(raw.replace("\u2019", "'")).casefold())
    return not pieces or any(p in blob for p in pieces)


class GivenAway:
    """The names and codes a set of responses gives away, kept as read; ``for_texts``
    gives the ``KnownNames`` that can match in some texts.

    ``KnownNames`` of a million emails and member codes takes 20 s to build (each is
    casefolded and split into words), to scrub a dozen quotes. Every entry of a
    ``KnownNames`` is a casefolded name, one of its words, or a code, and ``sub`` looks up
    only strings cut from the casefolded text; so an entry can match only if each run of
    its letters and digits appears in that text, and each such run is a run of the raw
    value's. ``for_texts`` finds in one fast pass the raw values all of whose runs are in
    the texts, and the single words of the others that are (``_matching``), and builds
    ``KnownNames`` of those alone: ``sub`` then replaces exactly what the whole
    ``KnownNames`` would in those texts (``tests/test_privacy.py`` checks both ways). At a
    million rows a dozen quotes naming common first names keep a few hundred values, not
    the 66,000 emails that share those names.
    """

    def __init__(self, responses: ResponseSet) -> None:
        self.roster = _roster(responses)
        self.given: Sequence[str] = responses.known_names  # names and emails, by row
        self.codes: Sequence[str] = responses.respondent_keys or ()

    @staticmethod
    def _names(roster: Iterable[str], given: Iterable[str]) -> list[str]:
        """The roster, the names, and each email's local part, as is and as words."""
        given = list(given)
        emails = [n.split("@")[0] for n in given if "@" in n]
        names = [n for n in given if "@" not in n]
        local = [e.replace(".", " ").replace("_", " ") for e in emails]
        return [*roster, *names, *emails, *local]

    def known(self) -> KnownNames:
        """All of them (slow on a large file; ``for_texts`` is what quotes use)."""
        return KnownNames(self._names(self.roster, self.given), self.codes)

    def for_texts(self, texts: Iterable[str]) -> KnownNames:
        # An email is judged by its local part (its runs are those of the local part as
        # words too).
        texts = list(texts)
        blob = "\n".join(_casefold(t) for t in texts)
        given, words = _matching(self.given, blob, local_part=True)
        codes, _ = _matching(self.codes, blob)  # a code matches whole or not at all
        codes += _matching_keys(self.codes, texts)  # or by its letters and digits alone
        names = self._names(self.roster, dict.fromkeys(given))
        return KnownNames(names, dict.fromkeys(codes), sorted(words))


# ASCII letters and digits kept (lower case), every other byte a space.
_ASCII_PIECES = bytes(
    ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32 for c in range(256)
)


def _trie(words: list[bytes]) -> bytes:
    """A regular expression matching exactly ``words`` (sorted, distinct, non-empty), as a
    trie: each alternative starts with its own character, so a match is tried in a few
    steps however many words there are."""
    import os

    prefix = os.path.commonprefix(words) if len(words) > 1 else words[0]
    words = [w[len(prefix) :] for w in words]
    ends = b"" in words
    by_first: dict[int, list[bytes]] = {}
    for w in words:
        if w:
            by_first.setdefault(w[0], []).append(w[1:])
    branches = [re.escape(bytes([c])) + _trie(rest) for c, rest in sorted(by_first.items())]
    head = re.escape(prefix)
    if not branches:
        return head
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    return head + (b"(?:" + body + b")?" if ends else body)


def _matching(
    values: Sequence[str], blob: str, local_part: bool = False
) -> tuple[list[str], set[str]]:
    """The values that could give ``blob`` (casefolded texts) a match, found in bulk, and
    the words that the others could give: ``(kept, words)``.

    All the values are joined, lower-cased and cut into runs of letters and digits by one
    ``bytes.translate``, and each run of the blob is searched for as a whole run (C speed;
    a million emails in a fraction of a second). Every entry a ``KnownNames`` makes of a
    value (the value folded, a word of it, a code) is matched only against strings cut
    from the texts, so it can match only if each of its runs is a run of the blob. For
    ASCII values (no underscore):

    - a value each of whose runs is in the blob is kept whole;
    - a value with only some of its runs there can give a match only through a word of
      it made of those runs: a run that is a whole word of the value (bounded by neither
      an apostrophe nor a hyphen) gives that word, found here, in ``words`` (a million
      emails sharing a first name give it once, not a million times); a run that is part
      of a longer word ("o'brien", "anne-marie") keeps the value whole, for
      ``KnownNames`` to judge;
    - a value with no run in the blob gives nothing.

    Values with other characters, an underscore, or no letter or digit are judged one by
    one by ``_may_match`` and kept whole. So ``KnownNames(kept, words=words)`` replaces
    exactly what ``KnownNames`` of all the values would in those texts. With
    ``local_part``, a value with an ``@`` is judged by what comes before it.
    """

    runs = _PIECE.findall(blob)
    # A run the folding made non-ASCII keeps its ASCII parts too: U+0345 is not part of a
    # word in a text ("Clive\u0345" is the word "Clive"), yet it folds to a letter, so the
    # blob's run is "cliveι". Searching for more runs only keeps more values (exact still).
    pieces = sorted(
        {p.encode("ascii") for p in runs if p.isascii()}
        | {a.encode("ascii") for p in runs if not p.isascii() for a in _ASCII_RUN.findall(p)}
    )
    # one pass: a space, then any of the pieces (as a trie), then a space
    found_at = re.compile(b" (?:" + _trie(pieces) + b")(?= )") if pieces else None
    kept: list[str] = []
    words: set[str] = set()
    for part, joined in _nonblank_parts(values):
        _matching_part(part, joined, blob, found_at, local_part, kept, words)
    return kept, words


_MATCH_PART = 1 << 16  # values joined at a time by _matching


def _nonblank_parts(values: Sequence[str]) -> Iterator[tuple[Sequence[str], bytes]]:
    """The non-blank values, ``_MATCH_PART`` at a time (bounded memory), each part with
    its values joined by NUL as UTF-8. A ``PackedText`` is cut and joined by numpy, with
    no Python string per value (an index of all at once would be as large as its offsets:
    17 MB at a million rows)."""
    import numpy as np

    from relimpact.read.packed import PackedText

    if isinstance(values, PackedText):
        for at in range(0, len(values), _MATCH_PART):
            part = values.take(np.arange(at, min(at + _MATCH_PART, len(values))))
            part = part.take(np.flatnonzero(part.nonempty()))
            if len(part):
                yield part, part.joined()
        return
    values = [v for v in values if v]
    for at in range(0, len(values), _MATCH_PART):
        part = values[at : at + _MATCH_PART]
        yield part, "\x00".join(part).encode("utf-8")


# ASCII letters and digits kept (lower case), NUL made a line end, every other byte gone
_KEY_TABLE = bytes(ord(chr(c).lower()) if c else 10 for c in range(256))
_KEY_DROP = bytes(c for c in range(1, 256) if not (c < 128 and chr(c).isalnum()))


def _matching_keys(values: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The codes whose letters and digits alone (``_code_key``) are those of up to
    ``_CODE_WORDS`` words in a row of ``texts`` (the last one perhaps without its "'s"),
    cut into words as ``KnownNames.sub`` cuts them, so every code that ``_code_at`` can
    find there is kept. ASCII codes are cut to their keys in bulk (``bytes.translate``);
    others one by one."""

    keys: set[str] = set()
    for text in texts:
        parts = [_key_parts(text[a:b]) for a, b in map(_core, _TOKEN.finditer(text))]
        for k in range(len(parts)):
            key = ""
            for whole, base in parts[k : k + _CODE_WORDS]:
                if base is not None:
                    keys.add(key + base)
                key += whole
                keys.add(key)
    keys.discard("")
    if not keys:
        return []
    ascii_keys = {k.encode("ascii") for k in keys if k.isascii()}
    kept: list[str] = []

    def by_key(part: Sequence[str], joined: bytes) -> None:
        if joined.isascii() and joined.count(b"\x00") == len(part) - 1:
            cut = joined.translate(_KEY_TABLE, _KEY_DROP).split(b"\n")
            kept.extend(part[i] for i, key in enumerate(cut) if key in ascii_keys)
            return
        for v in part:
            key = _code_key(_casefold(v))
            if key is not None and key in keys:
                kept.append(v)

    for part, joined in _nonblank_parts(values):
        by_key(part, joined)
    return kept


def _matching_part(
    values: Sequence[str],
    joined: bytes,
    blob: str,
    found_at: re.Pattern[bytes] | None,
    local_part: bool,
    kept: list[str],
    words: set[str],
) -> None:
    """``_matching`` of some non-blank values (``joined``: them joined by NUL, as UTF-8),
    into ``kept`` and ``words``; ``found_at`` finds the blob's runs."""
    import numpy as np

    def judge(v: str) -> bool:
        return _may_match(v.split("@")[0] if local_part else v, blob)

    if local_part:  # what comes before each value's first "@"
        # The reader keeps an email as "local@": its "@" goes without a regex; the
        # regex then cuts what is left from any other "@" on (the same as at first).
        joined = joined.replace(b"@\x00", b"\x00")
        if joined.endswith(b"@"):
            joined = joined[:-1]
        if b"@" in joined:
            joined = re.sub(rb"@[^\x00]*", b"", joined)
    raw = np.frombuffer(joined, np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(raw == 0) + 1))
    if len(starts) != len(values):  # a value holds NUL: judge each on its own
        kept.extend(v for v in values if judge(v))
        return
    lines = np.zeros(len(values), bool)
    # one by one: non-ASCII, an underscore, or no letter or digit (NUL counts as none)
    special = ((raw >= 128) | (raw == ord("_"))).view(np.uint8)
    lowered = joined.translate(_ASCII_PIECES)
    runs = np.frombuffer(lowered, np.uint8) != 32
    # each value's largest byte; one 0 after the last, for a last value left empty (an
    # email that was only "@example.org"), where reduceat would be given len(raw)
    slow = (np.maximum.reduceat(np.append(special, 0), starts) > 0) | (
        np.maximum.reduceat(np.append(runs, False).view(np.uint8), starts) == 0
    )
    for i in np.flatnonzero(slow).tolist():
        lines[i] = judge(values[i])
    spans: list[tuple[int, int]] = []
    if found_at is not None:
        # a match (start, end) is the run at [start, end - 1) of ``joined``: ``text``
        # has one more byte before it
        text = b" " + lowered + b" "
        spans = [m.span() for m in found_at.finditer(text)]
    if spans:
        at = np.array(spans, np.int64).reshape(-1, 2)
        first, stop = at[:, 0], at[:, 1] - 1
        owner = np.searchsorted(starts, first, side="right") - 1
        run_starts = np.flatnonzero(runs & np.concatenate(([True], ~runs[:-1])))
        of_value = np.bincount(
            np.searchsorted(starts, run_starts, side="right") - 1, minlength=len(values)
        )
        found = np.bincount(owner, minlength=len(values))
        whole = (found == of_value) & ~slow
        # a run inside a longer word: the byte before or after it is ' or -
        glued = np.frombuffer(b"'-", np.uint8)
        before = np.isin(raw[np.maximum(first - 1, 0)], glued) & (first > starts[owner])
        after = np.isin(raw[np.minimum(stop, len(raw) - 1)], glued) & (stop < len(raw))
        inside = (before | after) & ~slow[owner]
        lines[whole] = True
        lines[owner[inside]] = True
        alone = ~inside & ~whole[owner] & ~slow[owner]
        cut = zip(first[alone].tolist(), stop[alone].tolist(), strict=True)
        words.update(w.decode("ascii") for w in {lowered[s:e] for s, e in cut})
    kept.extend(values[i] for i in np.flatnonzero(lines).tolist())


def _written(answers: Sequence[str], agreed: np.ndarray) -> np.ndarray:
    """The rows (ascending) with a written answer from someone who agreed to be quoted.
    A ``PackedText`` from the reader holds an answer of white space only as blank."""
    import numpy as np

    from relimpact.read.packed import PackedText

    if isinstance(answers, PackedText):
        return np.flatnonzero(answers.nonempty() & agreed[: len(answers)])
    return np.array(
        [i for i, raw in enumerate(answers) if raw and agreed[i] and raw.strip()], np.int64
    )


def _short_enough(answers: Sequence[str], rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``: the answer has at most ``MAX_CHARS`` characters (an answer
    of no more bytes has no more characters; only longer ones are decoded)."""
    import numpy as np

    from relimpact.read.packed import PackedText

    if isinstance(answers, PackedText):
        ok = answers.lengths()[rows] <= MAX_CHARS
        for j in np.flatnonzero(~ok).tolist():
            ok[j] = len(answers[int(rows[j])]) <= MAX_CHARS
        return ok
    return np.array([len(answers[i]) <= MAX_CHARS for i in rows.tolist()], bool)


def _spread(count: int, take: int) -> list[range]:
    """``take`` consecutive slices of ``range(count)`` of (nearly) equal size, in order."""
    step = count / take
    return [range(int(j * step), int((j + 1) * step)) for j in range(take)]


def select_quotes(
    result: ScoreResult, responses: ResponseSet, *, per_question: int = 6
) -> QuotePool:
    """The quotes a report of ``result`` may show (:func:`quotes_for` its segments)."""
    return quotes_for(tuple(result.segments), responses, per_question=per_question)


def quotes_for(
    segments: Sequence[str], responses: ResponseSet, *, per_question: int = 6
) -> QuotePool:
    """The quotes a report may show, chosen deterministically, following the module rules;
    ``segments``: the result's segments (``ScoreResult.segments``), whose small groups give
    no quote. Needing no scores, it can run while the responses are scored.

    Up to ``per_question`` per quotable question, spread evenly across the answers in
    file order so that the choice does not favour the first rows: the eligible answers
    are cut into ``per_question`` equal runs and each run gives its first answer that
    still says enough once scrubbed. Only those candidates are scrubbed, never every
    answer in the file.
    """
    survey = responses.survey
    k = survey.min_group_size
    consent_q = survey.consent_question
    quotable = [q for q in survey.questions if q.type == "text" and q.quotable]
    segments = tuple(segments)
    if not quotable:
        return QuotePool((), 0, "", segments)
    if consent_q is None or consent_q.id not in responses.consent:
        return QuotePool(
            (),
            0,
            "No one's words are quoted: the survey does not ask permission to quote.",
            segments,
        )
    import numpy as np

    agreed = responses.consent[consent_q.id]
    hidden = _hidden_respondents(segments, responses)
    writers = np.zeros(len(agreed), bool)
    eligible: dict[str, np.ndarray] = {}  # kept as arrays: 8 bytes a row, not 36
    held = {"long": 0}
    for q in quotable:
        answers = responses.text.get(q.id, ())
        # set aside first: nothing after this (the counts, whether any quote is shown)
        # may depend on whether someone in a group too small to show agreed
        rows = _written(answers, agreed)
        rows = rows[~hidden[rows]]
        writers[rows] = True
        short = _short_enough(answers, rows)
        held["long"] += int((~short).sum())
        eligible[q.id] = rows[short]
    if int(writers.sum()) < k:
        return QuotePool(
            (),
            int(writers.sum()),
            f"No one's words are quoted: fewer than {k} people said we could quote them, "
            "and with so few, a quote could show who wrote it.",
            segments,
        )
    keys = responses.respondent_keys
    given: GivenAway | None = None
    lexicon = FirstNames()  # loaded (from faker) only if an answer is scrubbed
    cleaned: dict[tuple[str, int], str] = {}  # (question, respondent) -> the scrubbed answer
    batch = 1
    while True:
        # Go through the runs as the choice does; where an answer is not yet scrubbed, note
        # it and the next few of its run, then scrub all those noted in one go (the known
        # names that could match in them are found in one pass: ``GivenAway.for_texts``).
        quotes: list[Quote] = []
        needed: list[tuple[str, int]] = []
        held["room"] = held["little"] = 0
        for q in quotable:
            rows = eligible[q.id]
            seen: set[str] = set()
            for run in _spread(len(rows), min(per_question, len(rows))):
                for j in run:
                    clean = cleaned.get((q.id, int(rows[j])))
                    if clean is None:
                        ahead = range(j, min(j + batch, run.stop))
                        needed.extend((q.id, int(rows[k])) for k in ahead)
                        break
                    if not says_enough(clean) or clean.casefold() in seen:
                        held["little"] += 1
                        continue
                    seen.add(clean.casefold())
                    quotes.append(Quote(q.id, q.text, clean))
                    held["room"] += run.stop - j - 1  # the rest of the run is not looked at
                    break
        if not needed:
            return QuotePool(
                tuple(quotes),
                int(writers.sum()),
                "",
                segments,
                tuple((reason, n) for reason, n in held.items() if n),
                per_question,
            )
        if given is None:
            given = GivenAway(responses)
        heads = {key: _scrub_patterns(responses.text[key[0]][key[1]]) for key in needed}
        known = given.for_texts(heads.values())
        for (qid, i), head in heads.items():
            own = (keys[i],) if keys is not None and keys[i] else ()
            s = known.sub(head, own) if known or own else head
            cleaned[qid, i] = " ".join(_scrub_names(s, lexicon).split())
        batch *= 4
