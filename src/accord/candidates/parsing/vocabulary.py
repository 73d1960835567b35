"""Word lists the resume rules use: section headings, job-title words, company and school words.

General English resume vocabulary, not taken from any evaluation file.
"""

from typing import Final


def words(text: str, separator: str | None = None) -> frozenset[str]:
    return frozenset(word.strip().lower() for word in text.split(separator) if word.strip())


# Canonical section → headings people write for it (lowercase, "&" written as "and").
HEADINGS: Final[dict[str, frozenset[str]]] = {
    "experience": words(
        "experience; work experience; professional experience; employment; employment history; "
        "work history; career history; professional history; career; relevant experience; "
        "working experience; job experience; positions held; experience details; "
        "professional background; work; industry experience; technical experience; "
        "relevant work experience; professional employment; previous experience",
        ";",
    ),
    "education": words(
        "education; academic background; academic qualifications; qualifications; "
        "education and training; academic history; studies; academic education; "
        "educational background; education and courses; education and certifications; "
        "academic profile; degrees; schooling",
        ";",
    ),
    "skills": words(
        "skills; technical skills; professional skills; skills summary; key skills; core skills; "
        "core competencies; competencies; technologies; tech stack; technical expertise; "
        "expertise; skills and tools; tools; tools and tech; tools and technologies; "
        "technical competencies; it skills; computer skills; skill set; skillset; "
        "technical summary; technical proficiencies; areas of expertise; skills and abilities; "
        "hard skills; soft skills; technology stack",
        ";",
    ),
    "summary": words(
        "summary; profile; professional summary; about me; about; objective; career objective; "
        "personal statement; overview; professional profile; career summary; "
        "summary of qualifications; experience summary; relevant experience summary; "
        "introduction; personal profile; executive summary; highlights",
        ";",
    ),
    "projects": words(
        "projects; personal projects; key projects; project examples; selected projects; "
        "side projects; academic projects; project experience; open source",
        ";",
    ),
    "certifications": words(
        "certifications; certificates; courses; training; licenses; licenses and certifications; "
        "courses and certifications; certifications and courses; professional development; "
        "additional education; courses and training",
        ";",
    ),
    "languages": words(
        "languages; language skills; spoken languages; language; languages knowledge", ";"
    ),
    "other": words(
        "interests; hobbies; hobbies and interests; volunteering; volunteer experience; "
        "volunteer work; volunteer; references; recommendations; awards; honors; "
        "honors and awards; awards and honors; publications; personal information; "
        "additional information; other; "
        "military service; army service; achievements; activities; extracurricular activities; "
        "memberships; affiliations",
        ";",
    ),
    "contact": words(
        "personal information; personal details; personal data; personal; contact; contacts; "
        "contact me; contact me at; contact information; contact details; contact info",
        ";",
    ),
}

# Words that make a phrase a job title.
TITLE_WORDS: Final = words(
    """developer engineer programmer manager analyst designer architect consultant lead head
    director officer specialist scientist administrator admin intern internship coordinator
    tester qa devops sre ceo cto cfo coo cio founder co-founder cofounder president owner teacher
    instructor lecturer professor researcher assistant associate technician support
    representative accountant writer editor interviewer freelancer freelance contractor trainee
    expert strategist planner producer supervisor executive partner advisor adviser
    administrator operator agent recruiter auditor economist marketer marketing sales
    principal staff chief vp fellow tutor mentor webmaster dba devsecops dev"""
)

# Words that mark a phrase as an organisation's name.
COMPANY_WORDS: Final = words(
    """ltd ltd. limited inc inc. incorporated llc llp plc gmbh ag sa s.a. bv b.v. corp corp.
    corporation company co co. group labs lab technologies technology tech solutions systems
    software bank studio studios agency consulting services partners holdings industries
    networks media digital ventures enterprises international global foundation institute
    university college ministry department authority army forces"""
)

# Word beginnings that name a place of study, in the languages resumes mix in: University,
# Universidade, Universität, Institute, Instituto, Académie, Polytechnic, Politecnico…
SCHOOL_STEMS: Final = (
    "univers", "college", "colegio", "institut", "school", "academ", "akadem", "polytechn",
    "politecn", "technion", "conservator", "lyceum", "lycée", "gymnas", "faculty", "facult",
    "ecole", "école", "hochschule", "escuela", "escola", "seminary",
)  # fmt: skip

# Words no person's name is made of (headings, job words, common technologies, function words).
NOT_NAME_WORDS: Final = TITLE_WORDS | words(
    """resume résumé cv curriculum vitae profile contact contacts summary about me personal
        information details page confidential senior junior student full stack frontend
        backend front back end web software data java python javascript react angular net
        the and of for in at with to a an my experience education skills objective references
        languages projects position looking open available mobile phone email linkedin github
        address location tel description work"""
)

US_STATES: Final = frozenset(
    word.upper()
    for word in words(
        """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
        NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"""
    )
)
US_STATE_NAMES: Final = words(
    "Alabama,Alaska,Arizona,Arkansas,California,Colorado,Connecticut,Delaware,Florida,Georgia,"
    "Hawaii,Idaho,Illinois,Indiana,Iowa,Kansas,Kentucky,Louisiana,Maine,Maryland,Massachusetts,"
    "Michigan,Minnesota,Mississippi,Missouri,Montana,Nebraska,Nevada,New Hampshire,New Jersey,"
    "New Mexico,New York,North Carolina,North Dakota,Ohio,Oklahoma,Oregon,Pennsylvania,"
    "Rhode Island,South Carolina,South Dakota,Tennessee,Texas,Utah,Vermont,Virginia,Washington,"
    "West Virginia,Wisconsin,Wyoming",
    ",",
)
# Country names in English (as phonenumbers' geodata spells them), and the usual short forms.
COUNTRIES: Final = words(
    "Afghanistan;Albania;Algeria;American Samoa;Andorra;Angola;Anguilla;Antarctica;Antigua and"
    "Barbuda;Argentina;Armenia;Aruba;Australia;Austria;Azerbaijan;Bahamas;Bahrain;Bangladesh;Barbados;Belarus;Belgium;Belize;Benin;Bermuda;Bhutan;Bolivia;Bonaire,"
    "Sint Eustatius and Saba;Bosnia and Herzegovina;Botswana;Bouvet Island;Brazil;British Indian"
    "Ocean Territory;British Virgin Islands;Brunei;Bulgaria;Burkina"
    "Faso;Burundi;Cambodia;Cameroon;Canada;Cape Verde;Cayman Islands;Central African"
    "Republic;Chad;Chile;China;Christmas Island;Cocos Islands;Colombia;Comoros;Congo;Cook"
    "Islands;Costa Rica;Croatia;Cuba;Curaçao;Cyprus;Czech Republic;Côte"
    "d'Ivoire;Denmark;Djibouti;Dominica;Dominican Republic;Ecuador;Egypt;El Salvador;Equatorial"
    "Guinea;Eritrea;Estonia;Ethiopia;Falkland Islands;Faroe Islands;Fiji;Finland;France;French"
    "Guiana;French Polynesia;French Southern"
    "Territories;Gabon;Gambia;Georgia;Germany;Ghana;Gibraltar;Greece;Greenland;Grenada;Guadeloupe;Guam;Guatemala;Guernsey;Guinea;Guinea-Bissau;Guyana;Haiti;Heard"
    "Island And McDonald Islands;Honduras;Hong"
    "Kong;Hungary;Iceland;India;Indonesia;Iran;Iraq;Ireland;Isle Of"
    "Man;Israel;Italy;Jamaica;Japan;Jersey;Jordan;Kazakhstan;Kenya;Kiribati;Kuwait;Kyrgyzstan;Laos;Latvia;Lebanon;Lesotho;Liberia;Libya;Liechtenstein;Lithuania;Luxembourg;Macao;Macedonia;Madagascar;Malawi;Malaysia;Maldives;Mali;Malta;Marshall"
    "Islands;Martinique;Mauritania;Mauritius;Mayotte;Mexico;Micronesia;Moldova;Monaco;Mongolia;Montenegro;Montserrat;Morocco;Mozambique;Myanmar;Namibia;Nauru;Nepal;Netherlands;Netherlands"
    "Antilles;New Caledonia;New Zealand;Nicaragua;Niger;Nigeria;Niue;Norfolk Island;North"
    "Korea;Northern Mariana Islands;Norway;Oman;Pakistan;Palau;Palestine;Panama;Papua New"
    "Guinea;Paraguay;Peru;Philippines;Pitcairn;Poland;Portugal;Puerto"
    "Rico;Qatar;Reunion;Romania;Russia;Rwanda;Saint Barthélemy;Saint Helena;Saint Kitts And"
    "Nevis;Saint Lucia;Saint Martin;Saint Pierre And Miquelon;Saint Vincent And The"
    "Grenadines;Samoa;San Marino;Sao Tome And Principe;Saudi"
    "Arabia;Senegal;Serbia;Seychelles;Sierra Leone;Singapore;Sint Maarten (Dutch"
    "part);Slovakia;Slovenia;Solomon Islands;Somalia;South Africa;South Georgia And The South"
    "Sandwich Islands;South Korea;South Sudan;Spain;Sri Lanka;Sudan;Suriname;Svalbard And Jan"
    "Mayen;Swaziland;Sweden;Switzerland;Syria;Taiwan;Tajikistan;Tanzania;Thailand;The Democratic"
    "Republic Of Congo;Timor-Leste;Togo;Tokelau;Tonga;Trinidad and"
    "Tobago;Tunisia;Turkey;Turkmenistan;Turks And Caicos Islands;Tuvalu;U.S. Virgin"
    "Islands;Uganda;Ukraine;United Arab Emirates;United Kingdom;United States;United States Minor"
    "Outlying Islands;Uruguay;Uzbekistan;Vanuatu;Vatican;Venezuela;Vietnam;Wallis And"
    "Futuna;Western Sahara;Yemen;Zambia;Zimbabwe;Åland Islands",
    ";",
)
COUNTRY_ALIASES: Final = words(
    "usa,us,u.s.,u.s.a.,uk,u.k.,uae,england,scotland,wales,russia,south korea,czech republic,"
    "the netherlands,holland,america,united states of america",
    ",",
)
