"""Table-driven tests of transfer roles and status on sentences written for armstrace."""

from __future__ import annotations

import pytest

from armstrace.extract.document import extract_document
from armstrace.records import Document

pytestmark = pytest.mark.model


def triples(text: str) -> set[tuple[str | None, str | None, str]]:
    extraction = extract_document(Document.make(text, "t"))
    return {(c.supplier, c.recipient, c.category) for c in extraction.claims}


def statuses(text: str) -> dict[tuple[str | None, str | None, str], str]:
    extraction = extract_document(Document.make(text, "t"))
    return {(c.supplier, c.recipient, c.category): c.status for c in extraction.claims}


@pytest.mark.parametrize(
    "text, expected",
    [
        # subject / object / dative / "with" frames
        ("Iran delivered Shahed-136 drones to Russia last year.", ("IRN", "RUS", "uav")),
        ("North Korea sent Russia millions of artillery shells.", ("PRK", "RUS", "ammunition")),
        ("Tehran provided Moscow with ballistic missiles.", ("IRN", "RUS", "missile")),
        ("Germany will supply Leopard 2 tanks to Ukraine.", ("DEU", "UKR", "armoured_vehicle")),
        # acquire verbs: subject is the recipient, "from X" the supplier
        ("Russia bought hundreds of attack drones from Iran.", ("IRN", "RUS", "uav")),
        ("The Kremlin has received 122mm rockets from Pyongyang.", ("PRK", "RUS", "ammunition")),
        # control and raising
        (
            "Russia is seeking to buy artillery shells from North Korea.",
            ("PRK", "RUS", "ammunition"),
        ),
        (
            "Moscow is attempting to procure ballistic missiles from Tehran.",
            ("IRN", "RUS", "missile"),
        ),
        # a light verb makes its subject the recipient of a supply noun
        (
            "Russia has taken delivery of hundreds of Shahed drones from Iran.",
            ("IRN", "RUS", "uav"),
        ),
        (
            "Armenia accepted a consignment of Indian howitzers in March.",
            ("IND", "ARM", "artillery"),
        ),
        # "X-made" gives the origin even when the parser hangs the name on "made"
        (
            "Moscow took delivery of Iranian-made Shahed-136 drones last summer.",
            ("IRN", "RUS", "uav"),
        ),
        # arrival: the items are the subject, their origin supplies
        ("British Challenger 2 tanks have arrived in Ukraine.", ("GBR", "UKR", "armoured_vehicle")),
        (
            "The first Swedish-made CV90 vehicles arrived in Kyiv last week.",
            ("SWE", "UKR", "armoured_vehicle"),
        ),
        ("Shahed drones arrived in Russia from Iran by sea.", ("IRN", "RUS", "uav")),
        # a purchase contract: the signer buys, the with-party sells, "for" names the items
        (
            "Poland signed a contract with South Korea for K9 howitzers in 2022.",
            ("KOR", "POL", "artillery"),
        ),
        (
            "Egypt concluded a deal with France for Rafale fighter jets.",
            ("FRA", "EGY", "aircraft"),
        ),
        # without a with-party the seller is the system's maker (or the discourse)
        ("Egypt signed a contract for 30 more Rafale jets.", ("FRA", "EGY", "aircraft")),
        # a participle on the last conjunct describes the whole coordination
        (
            "Belarus said Iskander missile systems and an S-400 system received from Russia were"
            " ready.",
            ("RUS", "BLR", "missile"),
        ),
        # object control: the one urged or asked does the sending, the asker receives
        (
            "Zelensky urged the United States to send more Patriot systems to Ukraine.",
            ("USA", "UKR", "air_defence"),
        ),
        ("Kyiv asked Berlin to supply Taurus cruise missiles.", ("DEU", "UKR", "missile")),
        (
            "Warsaw called on Germany to deliver Leopard tanks to Kyiv.",
            ("DEU", "UKR", "armoured_vehicle"),
        ),
        # "ask X for Y": the one asked would supply
        ("Kyiv has asked Germany for its Taurus cruise missiles.", ("DEU", "UKR", "missile")),
        # a list the parser breaks at "guided" (read as a verb) still belongs to the trigger
        (
            "Iran has been providing Russia with drones, guided aerial bombs, and artillery"
            " ammunition.",
            ("IRN", "RUS", "ammunition"),
        ),
        # a named system's maker sells it when the text names no supplier
        ("Indonesia has ordered 42 Rafale fighters.", ("FRA", "IDN", "aircraft")),
        # units of a named system count it
        (
            "India took delivery of the third S-400 squadron from Russia.",
            ("RUS", "IND", "air_defence"),
        ),
        ("Germany sent a Patriot battalion to Ukraine.", ("DEU", "UKR", "air_defence")),
        # "X is the supplier": the copula's subject supplies
        (
            "The United States is the largest arms supplier to Saudi Arabia.",
            ("USA", "SAU", "military_equipment_unspecified"),
        ),
        # the owner of items sent in a passive clause sent them
        ("Serbia's shells were sold to Ukraine through brokers.", ("SRB", "UKR", "ammunition")),
        (
            "Serbia denied that its ammunition had been exported to Ukraine.",
            ("SRB", "UKR", "ammunition"),
        ),
        # "the drones" stand for the named system of their category mentioned before them
        (
            "Baykar sells its Bayraktar TB2 drone widely. Nigeria has received the drones.",
            ("TUR", "NGA", "uav"),
        ),
        # "it" in a reported clause is the sentence's subject, not the claimant
        (
            "The Kremlin rejected claims that it had supplied the Houthis with anti-ship missiles.",
            ("RUS", "Houthis", "missile"),
        ),
        (
            "North Korea rejected U.S. claims that it was supplying shells to Russia.",
            ("PRK", "RUS", "ammunition"),
        ),
        # "X has become a major supplier of Y to Z"
        (
            "India has become a major supplier of weapons to Armenia, including Pinaka rocket"
            " launchers.",
            ("IND", "ARM", "artillery"),
        ),
        # firms stand for their state, also as the antecedent of a relative clause
        (
            "The US imposed sanctions on Chinese firms that supplied drone parts to Russia.",
            ("CHN", "RUS", "uav"),
        ),
        # the owner of items that arrived from a supplier received them
        (
            "Pakistan's first J-10C fighters arrived from China in March 2022.",
            ("CHN", "PAK", "aircraft"),
        ),
        # a deal between two parties: the one that makes the system sells it
        (
            "The S-400 deal between Russia and Turkey was signed in 2017.",
            ("RUS", "TUR", "air_defence"),
        ),
        # entering service with a named origin; gifts and loans
        (
            "Pakistan inducted the Chinese-built Type 054A/P frigate into its navy.",
            ("CHN", "PAK", "ship"),
        ),
        ("Lithuania gifted two NASAMS launchers to Ukraine.", ("LTU", "UKR", "air_defence")),
        ("The UK will loan Challenger 2 tanks to Ukraine.", ("GBR", "UKR", "armoured_vehicle")),
        # a cabinet stands for its state
        (
            "Japan's cabinet approved the export of Patriot interceptors to the United States.",
            ("JPN", "USA", "air_defence"),
        ),
        # "end up in (the hands of) X"; "drones supplied by the UAE" name their origin
        (
            "Hundreds of Russian-made Kornet missiles have ended up in the hands of Hamas.",
            ("RUS", "Hamas", "small_arms"),
        ),
        ("Serbian shells have ended up in Ukraine.", ("SRB", "UKR", "ammunition")),
        (
            "The RSF has been using drones supplied by the UAE.",
            ("ARE", "Rapid Support Forces", "uav"),
        ),
        # making for a named recipient supplies it
        ("North Korea is producing shells for Russia.", ("PRK", "RUS", "ammunition")),
        # the one who approves a transfer from others does not supply it
        (
            "Washington has approved the transfer of F-16s from Denmark to Ukraine.",
            ("DNK", "UKR", "aircraft"),
        ),
        # "help X with Y" supplies Y
        ("Russia is helping North Korea with satellite technology.", ("RUS", "PRK", "technology")),
        # a batch or tranche counts the named system mentioned before it
        (
            "Warsaw signed for Bayraktar TB2 drones in May. Poland took delivery of its first"
            " batch in October.",
            ("TUR", "POL", "uav"),
        ),
        # a passive blaming verb's subject is the one blamed
        (
            "Iran was suspected of sending Mohajer-6 drones to the Ethiopian government.",
            ("IRN", "ETH", "uav"),
        ),
        # a defence firm stands for its state
        ("Hanwha Aerospace shipped K9 howitzers to Poland.", ("KOR", "POL", "artillery")),
        ("Rheinmetall will deliver Skyranger systems to Ukraine.", ("DEU", "UKR", "air_defence")),
        # a facility stands for its country
        (
            "Iran has been sending engineering know-how for the Alabuga plant in Russia.",
            ("IRN", "RUS", "technology"),
        ),
        # passive with agent
        ("The rifles were supplied to the Houthis by Iran.", ("IRN", "Houthis", "small_arms")),
        # nominal triggers
        (
            "Officials condemned the transfer of ballistic missiles from North Korea to Russia.",
            ("PRK", "RUS", "missile"),
        ),
        (
            "Iran's shipments of drones to Russia continued through the summer.",
            ("IRN", "RUS", "uav"),
        ),
        # possessive recipient, end user
        (
            "The DPRK is covertly supplying Russia's war with artillery shells.",
            ("PRK", "RUS", "ammunition"),
        ),
        (
            "Pyongyang shipped rockets into Russia for use by Wagner.",
            ("PRK", "Wagner", "ammunition"),
        ),
        # demonym origin with an acquire or use verb
        ("Russia has used Iranian drones against Ukrainian cities.", ("IRN", "RUS", "uav")),
        # purpose clause
        (
            "North Korea transferred artillery shells to aid Russia's war in Ukraine.",
            ("PRK", "RUS", "ammunition"),
        ),
        # condemn X for V-ing
        (
            "The ministers condemned the DPRK for providing Russia with ballistic missiles.",
            ("PRK", "RUS", "missile"),
        ),
        # origin statement, recipient from the discourse
        (
            "Russia has received more drones. The drones are from Iran, officials said.",
            ("IRN", "RUS", "uav"),
        ),
        # technology
        ("Russia may share missile technology with North Korea.", ("RUS", "PRK", "technology")),
        # object relative clause: the antecedent is the theme of the seizure
        (
            "Prosecutors moved to keep 3,000 rifles that the coast guard intercepted in transit "
            "from Iran to armed fighters in Yemen.",
            ("IRN", "YEM", "small_arms"),
        ),
        # seizure with the route deep under the verb
        (
            "The grenades were seized by Saudi forces from a fishing boat in the Red Sea "
            "enroute from Iran and destined for the Houthis.",
            ("IRN", "Houthis", "ammunition"),
        ),
        # unnamed armed groups: "armed groups in X" is a non-state label, "militants in X" X
        (
            "Syria has been shipping rockets to armed groups in Lebanon for years.",
            ("SYR", "Lebanon armed groups", "ammunition"),
        ),
        # announcing verbs with an explicit recipient, nested in the object phrase
        (
            "On Friday the ministry announced 400 million euros in military aid for Moldova.",
            ("MDA", "military_equipment_unspecified"),
        ),
        # a relative clause after an item's recipient describes the item
        (
            "Paris approved a new aid package for Kyiv, which will provide French howitzers.",
            ("FRA", "UKR", "artillery"),
        ),
        # demonstrative anaphora: "these weapons" are the previous sentence's items
        (
            "Inspectors found 200 assault rifles on the ship. These weapons had been sent "
            "from Iran to Yemen.",
            ("IRN", "YEM", "small_arms"),
        ),
    ],
)
def test_roles(text: str, expected: tuple[str, ...]) -> None:
    found = triples(text)
    if len(expected) == 2:  # (recipient, category): the supplier is not named in the sentence
        assert expected in {(r, c) for _, r, c in found}
    else:
        assert expected in found


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces fired missiles at Kharkiv overnight.",
        "North Korea tested a new ballistic missile over the Sea of Japan.",
        "Iran unveiled a new drone at a military parade in Tehran.",
        "The Ukrainian army used artillery to repel the assault near Bakhmut.",
        "China held naval exercises with its own warships in the South China Sea.",
        "Russia increased its production of artillery shells at home.",
        "The army announced new drones at its annual exhibition.",
        "The weather in Moscow was cold and dry on Tuesday.",
        # arrivals of people, or of items with no origin, move nothing between parties
        "Russian troops arrived in Kherson with their tanks.",
        "The new tanks arrived at the front on Friday.",
        "The minister took delivery of the report on arms exports in Kyiv.",
        # a contract with a firm, or with no items, names no supplying state
        "Poland signed a contract with its own arms maker for K9 howitzers.",
        "France signed a trade agreement with India on Monday.",
        # item words that only modify a place or an activity move nothing
        "Ukraine struck Russian ammunition depots and a drone factory overnight.",
        "Iran expanded its missile programme and built a new drone plant.",
        # a showcase or a briefing of arms is not a delivery of them
        "A Russian delegation received a showcase of Iranian attack drones in Tehran.",
        # intercepting a drone in flight is air defence, not a seizure of a shipment
        "Israel intercepted a drone launched from Yemen.",
        # "end" without "up" moves nothing
        "The war ended in 2020 after Turkish drones changed the balance.",
        # a navy commissioning its own ship moves nothing
        "Russia commissioned a new submarine.",
        # making at home moves nothing
        "Iran produces drones at a plant near Isfahan.",
        # "help" without a with-phrase of items moves nothing
        "Iran helped Russia build a drone factory.",
        # a firm selling to its own state's forces is domestic procurement
        "Lockheed Martin delivered F-35s to the US Air Force.",
        # buying what one's own industry designed is domestic procurement
        "The German army plans to order new Leopard 2A8 tanks.",
        # battle use with no named user; "add to" reports nothing
        "Iranian missiles were fired at Kyiv overnight.",
        "The Fath-360, a missile fired from a truck-mounted launcher, would add to the Iranian"
        " weapons Moscow relies on.",
        # what a readout or statement goes on to name is not given by its speaker
        "The spokesman provided the following readout: the ministers discussed tanks for Kyiv.",
    ],
)
def test_no_transfer(text: str) -> None:
    assert triples(text) == set()


@pytest.mark.parametrize(
    "text, key, status",
    [
        ("Iran delivered drones to Russia.", ("IRN", "RUS", "uav"), "delivered"),
        ("Iran may send ballistic missiles to Russia.", ("IRN", "RUS", "missile"), "speculated"),
        ("Iran could soon supply missiles to Russia.", ("IRN", "RUS", "missile"), "speculated"),
        (
            "Washington accused Iran of supplying drones to Russia.",
            ("IRN", "RUS", "uav"),
            "alleged",
        ),
        (
            "Russia is seeking to buy shells from North Korea.",
            ("PRK", "RUS", "ammunition"),
            "requested",
        ),
        (
            "Iran is preparing to provide Russia with hundreds of drones.",
            ("IRN", "RUS", "uav"),
            "planned",
        ),
        (
            "Germany agreed to supply IRIS-T air defence systems to Ukraine.",
            ("DEU", "UKR", "air_defence"),
            "agreed",
        ),
        (
            "North Korea continues to ship artillery shells to Russia.",
            ("PRK", "RUS", "ammunition"),
            "ongoing",
        ),
        ("Iran denied sending drones to Russia.", ("IRN", "RUS", "uav"), "denied"),
        (
            "The ministry announced that the navy seized rockets shipped from Iran to Yemen.",
            ("IRN", "YEM", "ammunition"),
            "attempted",
        ),
        (
            "Iran has never supplied missiles to Russia, the ministry said.",
            ("IRN", "RUS", "missile"),
            "denied",
        ),
        (
            "Zelensky urged the United States to send more Patriot systems to Ukraine.",
            ("USA", "UKR", "air_defence"),
            "requested",
        ),
        (
            "Iran is suspected of sending drones to Ethiopia.",
            ("IRN", "ETH", "uav"),
            "alleged",
        ),
        # expectations and schedules are planned; hopes are requests ("hopes" is not "hop")
        (
            "Germany is expected to deliver Taurus missiles to Ukraine next year.",
            ("DEU", "UKR", "missile"),
            "planned",
        ),
        ("Russia is set to deliver Su-35 jets to Iran.", ("RUS", "IRN", "aircraft"), "planned"),
        (
            "Ukraine hopes to receive F-16s from Norway in the spring.",
            ("NOR", "UKR", "aircraft"),
            "requested",
        ),
        # "unclear whether" and "is believed to" hedge
        (
            "It remains unclear whether North Korea has sent missiles to Russia.",
            ("PRK", "RUS", "missile"),
            "speculated",
        ),
        (
            "Moscow is believed to have given Tehran Yak-130 trainer jets.",
            ("RUS", "IRN", "aircraft"),
            "speculated",
        ),
        (
            "Poland signed a contract with South Korea for K9 howitzers.",
            ("KOR", "POL", "artillery"),
            "agreed",
        ),
        # a possible sale is planned, whoever approved it
        (
            "The State Department approved a possible sale of F-16 jets to Bulgaria.",
            ("USA", "BGR", "aircraft"),
            "planned",
        ),
        # a request that a notified possible sale answers is part of that sale
        (
            "The United States approved a possible sale to Greece. Greece has requested to buy"
            " Black Hawk helicopters from the United States.",
            ("USA", "GRC", "aircraft"),
            "planned",
        ),
        (
            "Russian negotiations to acquire ballistic missiles from Iran have advanced.",
            ("IRN", "RUS", "missile"),
            "planned",
        ),
        # a decision to provide is agreed; a plan gives way to a later finite report of delivery
        (
            "The minister welcomed Norway's decision to provide NASAMS systems to Ukraine.",
            ("NOR", "UKR", "air_defence"),
            "agreed",
        ),
        (
            "Iran is planning to sell drones to Russia. Russia has received dozens of the drones"
            " from Iran so far.",
            ("IRN", "RUS", "uav"),
            "delivered",
        ),
        (
            "France will send SCALP missiles to Ukraine, joining Britain in giving Kyiv such"
            " weapons.",
            ("FRA", "UKR", "missile"),
            "agreed",  # a stated future transfer is a commitment
        ),
        # a mention that only looks ahead gives way to a later report of the transfer done
        (
            "Officials warned of the potential transfer of Iranian missiles to Russia. Russia has"
            " since received the missiles from Iran.",
            ("IRN", "RUS", "missile"),
            "delivered",
        ),
    ],
)
def test_status(text: str, key: tuple[str, str, str], status: str) -> None:
    assert statuses(text).get(key) == status


def test_list_lines_inherit_the_package_frame() -> None:
    text = (
        "The United States announced a new package of military assistance for Ukraine.\n\n"
        "Included in this package are:\n\n"
        "Two NASAMS air defence systems;\n\n"
        "Up to 100,000 rounds of 155mm artillery ammunition; and\n\n"
        "Four counter-artillery radars.\n"
    )
    found = triples(text)
    assert ("USA", "UKR", "air_defence") in found
    assert ("USA", "UKR", "ammunition") in found
    assert ("USA", "UKR", "sensor") in found


def test_item_less_trigger_frames_the_list_that_follows() -> None:
    text = (
        "Finland's ministry approved a possible sale to Estonia of a coastal defence network.\n"
        "The following items will be included: unmanned aerial systems; spare parts."
    )
    extraction = extract_document(Document.make(text, "t"))
    assert ("FIN", "EST", "uav") in {
        (c.supplier, c.recipient, c.category) for c in extraction.claims
    }
    # the item-less sale itself yields no claim
    assert all(c.items for c in extraction.claims)


def test_transit_region_is_via() -> None:
    text = (
        "North Korea is covertly supplying artillery shells to Russia while trying to make it "
        "appear as though they are being sent to the Middle East and North Africa."
    )
    extraction = extract_document(Document.make(text, "t"))
    claim = next(c for c in extraction.claims if c.supplier == "PRK")
    assert {"Middle East", "North Africa"} <= set(claim.via)


@pytest.mark.parametrize(
    "text, key, via",
    [
        ("Turkey delivered drones to Niger via Libya.", ("TUR", "NER", "uav"), {"LBY"}),
        (
            "Iranian missiles reach Hezbollah through Syria and Iraq.",
            ("IRN", "Hezbollah", "missile"),
            {"SYR", "IRQ"},
        ),
        (
            "The UAE flew weapons to the RSF via airstrips in eastern Chad.",
            ("ARE", "Rapid Support Forces", "military_equipment_unspecified"),
            {"TCD"},
        ),
        (
            "Weapons bound for the Houthis were routed through Oman.",
            (None, "Houthis", "military_equipment_unspecified"),
            {"OMN"},
        ),
        # a movement sentence with no party of its own continues the transfer before it
        (
            "Iran has sent rockets to Hezbollah for years. The shipments travel overland through"
            " Iraq and Syria.",
            ("IRN", "Hezbollah", "ammunition"),
            {"IRQ", "SYR"},
        ),
        (
            "Iran supplies the Houthis with missile parts. They are smuggled by sea through the"
            " Gulf of Aden.",
            ("IRN", "Houthis", "missile"),
            {"Gulf of Aden"},  # not Yemen: "Aden" here is part of the sea's name
        ),
    ],
)
def test_via(text: str, key: tuple[str | None, str, str], via: set[str]) -> None:
    claims = {
        (c.supplier, c.recipient, c.category): c
        for c in extract_document(Document.make(text, "t")).claims
    }
    assert key in claims
    assert set(claims[key].via) == via


def test_a_movement_sentence_names_the_stops_of_the_transfer_before_it() -> None:
    text = (
        "Pyongyang has shipped millions of artillery shells to Russia. The shells travel by rail"
        " from the port of Rajin to the border town of Khasan."
    )
    claim = next(c for c in extract_document(Document.make(text, "t")).claims)
    assert claim.route == ("Rajin", "Khasan")  # not "Pyongyang": there it is the supplier
    assert claim.via == ()  # stops inside the parties are route points, not transit


@pytest.mark.parametrize(
    "text",
    [
        # without a route, "reach" is an attack; a later sentence about troops is no route
        "Russian missiles reached Kyiv overnight.",
        "Iran sent drones to Russia. Russian forces then advanced through Bakhmut.",
    ],
)
def test_no_route_is_invented(text: str) -> None:
    for claim in extract_document(Document.make(text, "t")).claims:
        assert claim.via == ()
        assert claim.recipient != "UKR"


def test_evidence_is_an_exact_substring_within_the_limit() -> None:
    text = (
        "In a long statement delivered to the Security Council on Thursday afternoon, the "
        "ambassador said that according to information gathered over many months, Iran had "
        "transferred several hundred Shahed-136 drones and a quantity of ammunition to Russia, "
        "in breach of its obligations, and that further deliveries were being prepared."
    )
    extraction = extract_document(Document.make(text, "t"))
    assert extraction.claims
    for claim in extraction.claims:
        assert claim.evidence in text
        assert len(claim.evidence) <= 160
        assert text[claim.evidence_start : claim.evidence_end] == claim.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Iran " + "supplied drones and " * 5000 + "shells to Russia.",
        '"' * 50 + "Iran sent drones to Russia" + "“" * 20,
        "« L'Iran a livré des drones à la Russie », a déclaré le ministre.",
        '"Iran sent drones," he said. "Russia paid." "',
    ],
)
def test_hostile_text_does_not_crash(text: str) -> None:
    extraction = extract_document(Document.make(text, "t"))
    assert isinstance(extraction.claims, tuple)


def test_support_services_beside_a_weapon_join_its_claim() -> None:
    text = "Spain will sell Morocco 12 patrol boats, with training and spare parts."
    found = triples(text)
    assert ("ESP", "MAR", "ship") in found
    assert not {c for _, _, c in found} & {"technology", "dual_use_components"}


def test_training_alone_is_a_technology_claim() -> None:
    assert ("RUS", "MLI", "technology") in triples("Russia provided training to Mali's army.")


def test_unspecified_platforms_are_not_folded_into_specific_claims() -> None:
    text = "The package for Ukraine includes 20 tactical vehicles and 5,000 artillery rounds."
    text = "Canada announced a package for Ukraine. " + text
    assert {"military_equipment_unspecified", "ammunition"} <= {c for _, _, c in triples(text)}


def test_a_mostly_receiving_party_is_not_made_a_supplier_by_discourse() -> None:
    text = (
        "Canada delivered 40 armoured vehicles to Ukraine. Canada also sent artillery shells "
        "to Ukraine. The vehicles improve Ukraine's ability to transport troops and augment "
        "the helicopters it already flies."
    )
    assert all(supplier != "UKR" for supplier, _, _ in triples(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        # "related" items come with the weapon named before them
        (
            "Iran shipped cruise missiles and related technology to the Houthis.",
            {("IRN", "Houthis", "missile")},
        ),
        # "its attempts": the possessive pronoun is the closest party before it, not the
        # subject of the sentence
        (
            "Canada and Japan issued a statement condemning Russia for its attempts to "
            "purchase artillery shells from North Korea.",
            {("PRK", "RUS", "ammunition")},
        ),
        # a UN sanctions panel named after a country is not that country
        (
            "The Yemen Panel reported that Iran shipped drones to the Houthis.",
            {("IRN", "Houthis", "uav")},
        ),
        # a to-phrase that the parser hangs on the verb governing the trigger noun; the noun
        # names no supplier of its own
        (
            "Officials failed to prevent the transfer of rockets to Hezbollah fighters.",
            {(None, "Hezbollah", "ammunition")},
        ),
    ],
)
def test_exact_claims(text: str, expected: set[tuple[str | None, str, str]]) -> None:
    assert triples(text) == expected


def test_the_title_resolves_actors_and_names_the_other_party() -> None:
    text = (
        "MINISTER NOWAK: Today we received the second batch of K2 tanks from our Korean partners.\n"
    )
    document = Document.make(text, "t", title="Defence ministers of Poland and South Korea meet")
    found = {(c.supplier, c.recipient, c.category) for c in extract_document(document).claims}
    assert ("KOR", "POL", "armoured_vehicle") in found


def test_an_approver_is_not_the_supplier_of_a_transfer_from_others() -> None:
    text = "Washington has approved the transfer of F-16s from Denmark to Ukraine."
    suppliers = {c.supplier for c in extract_document(Document.make(text, "t")).claims}
    assert "USA" not in suppliers


def test_the_detailed_attributed_mention_stands_for_the_claim() -> None:
    text = (
        "Iran is shipping weapons to Russia. "
        "Iran has shipped some 300 Shahed-136 drones to Russia since August, Pentagon "
        "spokesman Pat Ryder said on Monday."
    )
    (claim,) = extract_document(Document.make(text, "t")).claims
    assert (claim.supplier, claim.recipient, claim.category) == ("IRN", "RUS", "uav")
    assert claim.source == "Pat Ryder"
    assert claim.evidence.startswith("Iran has shipped some 300")


def test_a_later_report_outranks_a_possible_transfer() -> None:
    text = (
        "Officials warned of a possible transfer of Fath-360 missiles from Iran to Russia. "
        "Russia has since received the missiles from Iran."
    )
    (claim,) = extract_document(Document.make(text, "t")).claims
    assert claim.status == "delivered"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a pronoun that opens its sentence stands for the party the sentence before was about
        (
            "Turkey has become a leading seller of armed drones. It delivered Bayraktar TB2"
            " drones to Azerbaijan in 2020.",
            ("TUR", "AZE", "uav"),
        ),
        # a definite description stands for a party of its kind: its own sentence first
        (
            "Iran has not commented, but the country has in the past denied sending weapons to"
            " the Houthis.",
            ("IRN", "Houthis", "military_equipment_unspecified"),
        ),
        (
            "Saudi Arabia wants to widen its circle of suppliers. The kingdom has ordered 100 K9"
            " howitzers from South Korea.",
            ("KOR", "SAU", "artillery"),
        ),
    ],
)
def test_pronouns_and_descriptions_resolve_through_the_discourse(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in triples(text)


def _claims_at(text: str, url: str) -> dict[tuple[str | None, str | None, str], str]:
    extraction = extract_document(Document.make(text, "t", url=url), min_score=0.0)
    return {(c.supplier, c.recipient, c.category): c.rule for c in extraction.claims}


def test_we_is_the_government_that_speaks() -> None:
    text = (
        "Ukraine needs more air defence before the winter. We continue to send them Stinger"
        " missiles. The department also announced a drawdown of Javelin missiles for Ukraine."
    )
    found = _claims_at(text, "https://www.defense.gov/News/Transcripts/briefing/")
    assert found[("USA", "UKR", "air_defence")].startswith("verb:supply:speaker-object")
    assert ":filled" not in found[("USA", "UKR", "small_arms")]  # the department is the USA
    # on a news site nobody named speaks: "we" is the paper's own voice and names no party
    # (the makers of the systems still supply them, by the discourse rules)
    found = _claims_at(text, "https://news.example.com/a/1")
    assert not any("speaker" in rule for rule in found.values())


def test_the_lead_denies_only_for_the_party_that_denies() -> None:
    text = (
        "Beijing on Monday dismissed reports that Chinese firms had sold drone engines to Russia. "
        "Iran delivered Fath-360 ballistic missiles to Russia last year, officials said."
    )
    found = statuses(text)
    assert found[("CHN", "RUS", "engine")] == "denied"
    assert found[("IRN", "RUS", "missile")] == "delivered"


def test_intelligence_framing_is_an_allegation() -> None:
    text = (
        "South Korea's spy agency assesses that Russia has given North Korea air defence missiles."
    )
    assert statuses(text)[("RUS", "PRK", "air_defence")] == "alleged"
