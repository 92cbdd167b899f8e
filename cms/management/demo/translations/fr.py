"""The demo site in French (plain words, short sentences)."""

PAGES = {
    "home": {
        "title": "Apprendre, grandir et trouver sa place à Hong Kong",
        "intro": (
            "Des cours gratuits pour les réfugiés et les demandeurs d'asile : anglais, GED, "
            "IELTS, informatique, photo, stages et aide aux devoirs pour les enfants."
        ),
        "who_we_serve": (
            "<p>Nous accueillons les adultes, les jeunes et les enfants qui demandent une "
            "protection à Hong Kong, quelle que soit leur langue ou leur scolarité.</p>"
        ),
        "get_help": (
            "<p>Venez à l'accueil, du lundi au samedi, ou envoyez-nous un message WhatsApp. "
            "Un interprète peut vous aider.</p>"
        ),
    },
    "courses": {
        "title": "Cours",
        "intro": "<p>Tous nos cours sont gratuits. Choisissez par matière, jour ou niveau.</p>",
    },
    "story-amina": {
        "title": "Des premiers mots au premier emploi",
        "quote": "Les professeurs étaient patients. Maintenant, j'aide les nouveaux élèves.",
    },
}

COURSE_BODY = (
    "<p>Les cours sont gratuits, en petits groupes, dans une ambiance amicale. Apportez un "
    "cahier ; nous prêtons stylos, livres et ordinateurs. Les enfants peuvent rester dans la "
    "salle des devoirs pendant votre cours.</p>"
    "<p>Vous ne savez pas quel cours choisir ? Venez à l'accueil : nous le choisirons avec "
    "vous, avec un interprète si vous voulez.</p>"
)

COURSES = {
    "english-starters": (
        "Anglais pour débutants",
        "Apprenez l'alphabet, les nombres et les mots de tous les jours pour les magasins, "
        "les cliniques et les bus.",
    ),
    "english-a1": (
        "Anglais A1 : l'anglais de tous les jours",
        "Présentez-vous, remplissez des formulaires et parlez de votre journée en anglais simple.",
    ),
    "english-a2": (
        "Anglais A2 : parler avec confiance",
        "Conversations, appels téléphoniques et rendez-vous, avec un professeur partenaire.",
    ),
    "english-b1-youth": (
        "Anglais B1 pour les jeunes",
        "Lecture, écriture et exposés pour les jeunes de 15 à 24 ans.",
    ),
    "ged-preparation": (
        "Préparation au GED",
        "Préparez les quatre matières du GED : maths, sciences, sciences sociales et langue.",
    ),
    "ielts-preparation": (
        "Préparation à l'IELTS",
        "Entraînez-vous à écouter, lire, écrire et parler pour l'examen IELTS.",
    ),
    "computer-first-steps": (
        "Informatique : premiers pas",
        "Utilisez la souris et le clavier, envoyez un e-mail, faites un CV et restez en "
        "sécurité sur Internet.",
    ),
    "photography-beginners": (
        "Photo pour débutants",
        "Racontez des histoires avec l'appareil photo du téléphone : lumière, cadrage et retouche.",
    ),
    "warehouse-training": (
        "Stage en entrepôt",
        "Sécurité, gestion du stock et stage encadré chez un partenaire de la logistique.",
    ),
    "homework-club": (
        "Club de devoirs après l'école",
        "Un endroit calme et des bénévoles pour aider aux devoirs, avec un goûter.",
    ),
}

# The subjects, by slug.
CATEGORIES = {
    "english": "Anglais",
    "ged": "GED",
    "ielts": "IELTS",
    "computer-literacy": "Informatique de base",
    "photography": "Photographie",
    "vocational": "Formation professionnelle",
    "homework-support": "Aide aux devoirs",
}

# The venues, by key: name, address, district, how to get there, accessibility. Street names
# stay as the street signs write them, so that a map or a taxi driver finds them.
VENUES = {
    "ssp": (
        "Centre principal",
        "3e étage, 128 Un Chau Street, Sham Shui Po",
        "Sham Shui Po",
        "MTR Sham Shui Po, sortie A2. Marchez deux minutes dans Un Chau Street.",
        "Un ascenseur va au troisième étage. Il y a des toilettes accessibles.",
    ),
    "ymt": (
        "Salle de classe de Yau Ma Tei",
        "Salle 5, 22 Public Square Street, Yau Ma Tei",
        "Yau Ma Tei",
        "MTR Yau Ma Tei, sortie C. Marchez cinq minutes, après le temple de Tin Hau.",
        "Rez-de-chaussée, avec une petite marche à la porte. Demandez-nous la rampe.",
    ),
    "kc": (
        "Entrepôt partenaire, Kwai Chung",
        "Unité 9, 45 Kwai Fung Crescent, Kwai Chung",
        "Kwai Chung",
        "MTR Kwai Fong, sortie E. Marchez dix minutes dans Kwai Fung Crescent.",
        "Un monte-charge va à l'étage de l'entrepôt. Nous prêtons des chaussures de "
        "sécurité à la porte.",
    ),
}
