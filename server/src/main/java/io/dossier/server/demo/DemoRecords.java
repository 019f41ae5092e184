package io.dossier.server.demo;

import io.dossier.core.access.Caller;
import io.dossier.core.record.CollectionEdit;
import io.dossier.core.record.RecordService;
import io.dossier.core.schema.RecordType;
import io.dossier.core.schema.Schemas;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Fills a demo tenant with believable recruitment data: document types, customers ("relations")
 * with their contacts, candidates and vacancies whose texts are written in every content language
 * of the tenant among en, nl, de and fr. Everything goes through {@link RecordService}, so the data
 * passes the same checks as what clients send. A fixed seed makes the data the same on every run;
 * dates are relative to the day of seeding.
 */
public final class DemoRecords {

    public static final int CANDIDATES = 300;
    public static final int RELATIONS = 60;
    public static final int CONTACTS_PER_RELATION = 2;
    public static final int VACANCIES = 200;
    /** The content languages demo texts are written in. */
    public static final List<String> TEXT_LANGUAGES = List.of("en", "nl", "de", "fr");
    public static final List<String> DOCUMENT_TYPES = List.of("CV", "Motivation letter", "Contract", "Other");
    /** The uids of {@link #DOCUMENT_TYPES}: OTYS numbers the CV 1 and Other 201, and clients send those. */
    public static final List<String> DOCUMENT_TYPE_UIDS = List.of("1", "2", "3", "201");
    /** The websites (siteId, name, address): every published vacancy is on the first, the IT ones also on the second. */
    public static final List<List<String>> WEBSITES = List.of(
            List.of("1", "Demo Recruitment careers", "https://careers.demo.example"),
            List.of("2", "Demo Recruitment IT jobs", "https://it.demo.example"));
    /** Procedure statuses of steps 1, 2 and 3 (code, automaticallySelectEvent): the first of each is chosen for web applications. */
    public static final List<List<Map.Entry<String, Integer>>> PROCEDURE_STATUSES = List.of(
            List.of(Map.entry("Applied via website", 1), Map.entry("Screening", 0), Map.entry("Rejected", 0)),
            List.of(Map.entry("Not yet proposed", 1), Map.entry("Proposed to customer", 0), Map.entry("Interview", 0)),
            List.of(Map.entry("Open", 1), Map.entry("Placed", 0), Map.entry("Not placed", 0)));

    private static final long SEED = 20_240_917L;

    private DemoRecords() {
    }

    /**
     * Seeds the tenant. Owners are spread over {@code userIds} (none: records get no owner);
     * vacancy texts are written in each of {@code languages} that is one of {@link #TEXT_LANGUAGES}
     * (English when none is), added in the first and updated in the others.
     */
    public static void seed(RecordService records, Schemas schemas, long tenantId, List<Long> userIds, List<String> languages) {
        seed(records, schemas, tenantId, userIds, languages, LocalDate.now(ZoneOffset.UTC));
    }

    /** As {@link #seed(RecordService, Schemas, long, List, List)}, with dates relative to {@code today}. */
    /** Writes demo records together ({@link RecordService#writeAll}); one refused is a bug in the demo, thrown. */
    static void writeAll(RecordService records, Caller caller, List<RecordService.Upsert> writes, String language) {
        var failures = records.writeAll(caller, writes, language);
        for (int i = 0; i < failures.size(); i++) {
            if (failures.get(i) != null) {
                throw new IllegalStateException("demo record " + writes.get(i).uid() + " refused: " + failures.get(i).getMessage(), failures.get(i));
            }
        }
    }

    public static void seed(RecordService records, Schemas schemas, long tenantId, List<Long> userIds, List<String> languages,
                            LocalDate today) {
        new Generator(records, schemas, tenantId, userIds, languages, today).run();
    }

    // ---- reference data

    /** A city, with patterns for its postcodes and landline numbers: {@code #} a digit, {@code %} a digit but 0, {@code @} a letter. */
    private record City(String name, String country, String postcode, String region, String culture, String landline) {
    }

    private static final List<City> CITIES = List.of(
            new City("Amsterdam", "NL", "10## @@", "Noord-Holland", "nl", "+31 20 %## ####"),
            new City("Rotterdam", "NL", "30## @@", "Zuid-Holland", "nl", "+31 10 %## ####"),
            new City("Utrecht", "NL", "35## @@", "Utrecht", "nl", "+31 30 %## ####"),
            new City("Den Haag", "NL", "25## @@", "Zuid-Holland", "nl", "+31 70 %## ####"),
            new City("Eindhoven", "NL", "56## @@", "Noord-Brabant", "nl", "+31 40 %## ####"),
            new City("Groningen", "NL", "97## @@", "Groningen", "nl", "+31 50 %## ####"),
            new City("Tilburg", "NL", "50## @@", "Noord-Brabant", "nl", "+31 13 %## ####"),
            new City("Breda", "NL", "48## @@", "Noord-Brabant", "nl", "+31 76 %## ####"),
            new City("Nijmegen", "NL", "65## @@", "Gelderland", "nl", "+31 24 %## ####"),
            new City("Zwolle", "NL", "80## @@", "Overijssel", "nl", "+31 38 %## ####"),
            new City("Arnhem", "NL", "68## @@", "Gelderland", "nl", "+31 26 %## ####"),
            new City("Amersfoort", "NL", "38## @@", "Utrecht", "nl", "+31 33 %## ####"),
            new City("Haarlem", "NL", "20## @@", "Noord-Holland", "nl", "+31 23 %## ####"),
            new City("Maastricht", "NL", "62## @@", "Limburg", "nl", "+31 43 %## ####"),
            new City("Leeuwarden", "NL", "89## @@", "Friesland", "nl", "+31 58 %## ####"),
            new City("Enschede", "NL", "75## @@", "Overijssel", "nl", "+31 53 %## ####"),
            new City("Antwerpen", "BE", "2000", "Antwerpen", "nl", "+32 3 %## ## ##"),
            new City("Gent", "BE", "9000", "Oost-Vlaanderen", "nl", "+32 9 %## ## ##"),
            new City("Leuven", "BE", "3000", "Vlaams-Brabant", "nl", "+32 16 %# ## ##"),
            new City("Brugge", "BE", "8000", "West-Vlaanderen", "nl", "+32 50 %# ## ##"),
            new City("Bruxelles", "BE", "1000", "Bruxelles-Capitale", "fr", "+32 2 %## ## ##"),
            new City("Liège", "BE", "4000", "Liège", "fr", "+32 4 %## ## ##"),
            new City("Namur", "BE", "5000", "Namur", "fr", "+32 81 %# ## ##"),
            new City("Berlin", "DE", "10###", "Berlin", "de", "+49 30 %#######"),
            new City("Hamburg", "DE", "20###", "Hamburg", "de", "+49 40 %#######"),
            new City("München", "DE", "80###", "Bayern", "de", "+49 89 %#######"),
            new City("Köln", "DE", "50###", "Nordrhein-Westfalen", "de", "+49 221 %######"),
            new City("Düsseldorf", "DE", "40###", "Nordrhein-Westfalen", "de", "+49 211 %######"),
            new City("Frankfurt am Main", "DE", "60###", "Hessen", "de", "+49 69 %#######"),
            new City("Aachen", "DE", "52###", "Nordrhein-Westfalen", "de", "+49 241 %######"),
            new City("Münster", "DE", "48###", "Nordrhein-Westfalen", "de", "+49 251 %######"),
            new City("Hannover", "DE", "30###", "Niedersachsen", "de", "+49 511 %######"),
            new City("Stuttgart", "DE", "70###", "Baden-Württemberg", "de", "+49 711 %######"),
            new City("Paris", "FR", "7501#", "Île-de-France", "fr", "+33 1 %# ## ## ##"),
            new City("Lille", "FR", "59000", "Hauts-de-France", "fr", "+33 3 %# ## ## ##"),
            new City("Lyon", "FR", "6900#", "Auvergne-Rhône-Alpes", "fr", "+33 4 %# ## ## ##"),
            new City("Marseille", "FR", "1300#", "Provence-Alpes-Côte d'Azur", "fr", "+33 4 %# ## ## ##"),
            new City("Toulouse", "FR", "31000", "Occitanie", "fr", "+33 5 %# ## ## ##"),
            new City("Nantes", "FR", "44000", "Pays de la Loire", "fr", "+33 2 %# ## ## ##"),
            new City("Bordeaux", "FR", "33000", "Nouvelle-Aquitaine", "fr", "+33 5 %# ## ## ##"),
            new City("Strasbourg", "FR", "67000", "Grand Est", "fr", "+33 3 %# ## ## ##"),
            // Ofcom's numbers for drama: no real subscriber has them
            new City("London", "GB", "EC1A #@@", "England", "en", "+44 20 7946 0%##"),
            new City("Manchester", "GB", "M1 #@@", "England", "en", "+44 161 496 0%##"),
            new City("Birmingham", "GB", "B2 #@@", "England", "en", "+44 121 496 0%##"),
            new City("Leeds", "GB", "LS1 #@@", "England", "en", "+44 113 496 0%##"),
            new City("Bristol", "GB", "BS1 #@@", "England", "en", "+44 117 496 0%##"));

    private static final Map<String, String> MOBILES = Map.of(
            "NL", "+31 6 %#######", "BE", "+32 47# ## ## ##", "DE", "+49 15# ########", "FR", "+33 6 ## ## ## ##",
            "GB", "+44 7700 900%##");

    private static final Map<String, String> LEGAL_FORMS = Map.of("NL", "B.V.", "BE", "NV", "DE", "GmbH", "FR", "SAS", "GB", "Ltd");

    /** Names by culture; Dutch surnames carry their prefix before a {@code |}. */
    private record Culture(List<String> male, List<String> female, List<String> last, List<String> streets,
                           List<String> companyBases) {
    }

    private static final Map<String, Culture> CULTURES = Map.of(
            "nl", new Culture(
                    List.of("Daan", "Sem", "Lucas", "Jesse", "Thijs", "Bram", "Lars", "Ruben", "Tim", "Joris", "Sander", "Jeroen", "Bas",
                            "Niels", "Pieter", "Koen", "Wouter", "Stijn", "Maarten", "Hendrik", "Mohamed", "Yusuf", "Jan", "Kees"),
                    List.of("Emma", "Sophie", "Julia", "Anna", "Lotte", "Fleur", "Lisa", "Eva", "Sanne", "Iris", "Femke", "Anouk",
                            "Marloes", "Esther", "Ingrid", "Noor", "Maaike", "Linda", "Karin", "Roos", "Fatima", "Samira", "Mieke"),
                    List.of("|Jansen", "de|Jong", "de|Vries", "van den|Berg", "van|Dijk", "|Bakker", "|Visser", "|Smit", "|Meijer",
                            "de|Boer", "|Mulder", "de|Groot", "|Bos", "|Vos", "|Peters", "|Hendriks", "van|Leeuwen", "|Dekker",
                            "|Brouwer", "de|Wit", "|Dijkstra", "|Smits", "de|Graaf", "van der|Meer", "van der|Linden", "|Kok",
                            "|Jacobs", "de|Haan", "|Vermeulen", "van den|Heuvel", "van der|Veen", "van den|Broek", "|Willems",
                            "|Schouten", "|Hoekstra", "|Yilmaz", "|El Amrani", "|Claes", "|Maes", "|Wouters", "|Peeters"),
                    List.of("Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianalaan", "Beatrixstraat",
                            "Parallelweg", "Industrieweg", "Nieuwstraat", "Marktplein", "Havenstraat", "Lindelaan", "Eikenlaan",
                            "Spoorstraat"),
                    List.of("Van Dijk", "Hollandia", "Rijnmond", "Kempen", "Noordster", "Brabant", "Veluwe", "Zuidas", "Delta",
                            "IJssel", "Maasland", "Oranje", "Polderland", "Twente", "De Waal", "Lindeboom", "Vermeer", "Houtman",
                            "Zeeland", "Westland", "Schelde", "Leie", "Brabo")),
            "de", new Culture(
                    List.of("Lukas", "Leon", "Finn", "Jonas", "Paul", "Felix", "Maximilian", "Tobias", "Stefan", "Andreas", "Michael",
                            "Jan", "Florian", "Matthias", "Sebastian", "Uwe"),
                    List.of("Mia", "Hannah", "Lena", "Lea", "Laura", "Katharina", "Anna", "Julia", "Sabine", "Claudia", "Johanna",
                            "Marie", "Sarah", "Franziska", "Nina", "Birgit"),
                    List.of("|Müller", "|Schmidt", "|Schneider", "|Fischer", "|Weber", "|Meyer", "|Wagner", "|Becker", "|Schulz",
                            "|Hoffmann", "|Schäfer", "|Koch", "|Bauer", "|Richter", "|Klein", "|Wolf", "|Schröder", "|Neumann",
                            "|Schwarz", "|Zimmermann", "|Braun", "|Krüger", "|Hartmann", "|Lange", "|Kaya", "|Nowak"),
                    List.of("Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Industriestraße",
                            "Lindenallee", "Kirchweg", "Marktplatz", "Bergstraße", "Friedrichstraße", "Mühlenweg"),
                    List.of("Rhein", "Nord", "Ostsee", "Bergmann", "Hansa", "Alpen", "Main", "Weser", "Schwarzwald", "Elbe", "Kaiser",
                            "Lindner")),
            "fr", new Culture(
                    List.of("Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Nathan", "Théo", "Antoine", "Julien", "Nicolas",
                            "Mathieu", "Pierre", "Étienne", "Rémi", "Karim"),
                    List.of("Emma", "Léa", "Chloé", "Camille", "Manon", "Inès", "Juliette", "Louise", "Sarah", "Élodie", "Mathilde",
                            "Céline", "Aurélie", "Margaux", "Claire", "Nadia"),
                    List.of("|Martin", "|Bernard", "|Dubois", "|Thomas", "|Robert", "|Richard", "|Petit", "|Durand", "|Leroy",
                            "|Moreau", "|Simon", "|Laurent", "|Lefebvre", "|Michel", "|Garcia", "|David", "|Bertrand", "|Roux",
                            "|Vincent", "|Fournier", "|Morel", "|Girard", "|Dupont", "|Lambert", "|Benali", "|Mercier"),
                    List.of("rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue du Moulin", "boulevard Gambetta",
                            "rue de la Gare", "place de l'Église", "rue Pasteur", "avenue de la Liberté", "rue des Écoles"),
                    List.of("Lumière", "Atlantique", "Provence", "Alpes", "Seine", "Loire", "Dumont", "Bellevue", "Horizon", "Garonne",
                            "Meuse", "Ardenne")),
            "en", new Culture(
                    List.of("James", "Oliver", "Harry", "George", "Jack", "Thomas", "William", "Daniel", "Samuel", "Matthew", "Liam",
                            "Connor", "Ryan", "Patrick", "Andrew", "Arjun"),
                    List.of("Olivia", "Amelia", "Isla", "Emily", "Grace", "Sophie", "Charlotte", "Hannah", "Lucy", "Chloe", "Megan",
                            "Aoife", "Siobhan", "Rachel", "Laura", "Priya"),
                    List.of("|Smith", "|Jones", "|Taylor", "|Brown", "|Williams", "|Wilson", "|Johnson", "|Davies", "|Robinson",
                            "|Wright", "|Thompson", "|Evans", "|Walker", "|White", "|Roberts", "|Green", "|Hall", "|Wood", "|Clarke",
                            "|Murphy", "|Kelly", "|O'Brien", "|Byrne", "|Hughes", "|Patel", "|Khan"),
                    List.of("High Street", "Station Road", "Church Lane", "Park Avenue", "Mill Road", "Victoria Street", "King's Road",
                            "Queen Street", "Manor Way", "Castle Street"),
                    List.of("Thames", "Pennine", "Albion", "Harbour", "Kingsway", "Northgate", "Castle", "Redbrick", "Mersey",
                            "Highland")));

    /** A sector of industry: its id in RelationService's options, words for company names, and the vacancy categories it hires in. */
    private record Sector(int industryId, Map<String, String> word, List<Integer> categories) {
    }

    private static final List<Sector> SECTORS = List.of(
            new Sector(1, Map.of("nl", "ICT", "de", "IT-Systeme", "fr", "Informatique", "en", "Software"), List.of(1, 1, 1, 3, 6, 10)),
            new Sector(2, Map.of("nl", "Financiële Diensten", "de", "Finanz", "fr", "Finance", "en", "Financial"), List.of(2, 2, 5, 3, 13, 1)),
            new Sector(3, Map.of("nl", "Logistiek", "de", "Logistik", "fr", "Logistique", "en", "Logistics"), List.of(7, 7, 7, 10, 5)),
            new Sector(4, Map.of("nl", "Techniek", "de", "Maschinenbau", "fr", "Industrie", "en", "Engineering"), List.of(11, 11, 8, 8, 7, 2)),
            new Sector(5, Map.of("nl", "Zorggroep", "de", "Pflege", "fr", "Santé", "en", "Care"), List.of(9, 9, 9, 10, 6)),
            new Sector(6, Map.of("nl", "Bouw", "de", "Bau", "fr", "Construction", "en", "Construction"), List.of(8, 8, 10, 2)),
            new Sector(7, Map.of("nl", "Retail", "de", "Handel", "fr", "Distribution", "en", "Retail"), List.of(3, 5, 7, 4)),
            new Sector(8, Map.of("nl", "Hotels", "de", "Hotels", "fr", "Hôtels", "en", "Hotels"), List.of(12, 12, 5)),
            new Sector(10, Map.of("nl", "Consultancy", "de", "Beratung", "fr", "Conseil", "en", "Consulting"), List.of(6, 2, 4, 10, 13, 1)),
            new Sector(11, Map.of("nl", "Energie", "de", "Energie", "fr", "Énergie", "en", "Energy"), List.of(8, 8, 1, 3)));

    /**
     * A kind of job: vacancy category, typical education level (1-5), monthly gross salary range in
     * euros, whether it is paid by the hour when temporary, whether it can be done from home, skills,
     * and its title in en, nl, de and fr.
     */
    private record Job(int category, int education, int salaryMin, int salaryMax, boolean hourly, boolean remote,
                       List<String> skills, String en, String nl, String de, String fr) {

        String title(String language) {
            return switch (language) {
                case "nl" -> nl;
                case "de" -> de;
                case "fr" -> fr;
                default -> en;
            };
        }
    }

    private static final List<Job> JOBS = List.of(
            new Job(1, 3, 3600, 5600, false, true, List.of("Java", "Spring Boot", "SQL", "Git", "Docker"),
                    "Java developer", "Java-ontwikkelaar", "Java-Entwickler", "Développeur Java"),
            new Job(1, 3, 3300, 5200, false, true, List.of("TypeScript", "React", "CSS", "Accessibility", "Git"),
                    "Front-end developer", "Front-end developer", "Frontend-Entwickler", "Développeur front-end"),
            new Job(1, 4, 3200, 5000, false, true, List.of("SQL", "Python", "Power BI", "Statistics", "Excel"),
                    "Data analyst", "Data-analist", "Datenanalyst", "Analyste de données"),
            new Job(1, 2, 3000, 4600, false, true, List.of("Linux", "Windows Server", "Networking", "Azure", "Scripting"),
                    "System administrator", "Systeembeheerder", "Systemadministrator", "Administrateur système"),
            new Job(2, 4, 4200, 6500, false, true, List.of("IFRS", "Reporting", "Excel", "Budgeting", "SAP"),
                    "Financial controller", "Financial controller", "Controller", "Contrôleur de gestion"),
            new Job(2, 2, 2600, 3600, false, true, List.of("Bookkeeping", "Exact Online", "VAT returns", "Excel"),
                    "Bookkeeper", "Boekhouder", "Buchhalter", "Comptable"),
            new Job(2, 2, 2800, 3900, false, true, List.of("Payroll", "AFAS", "Labour law", "Excel"),
                    "Payroll administrator", "Salarisadministrateur", "Lohnbuchhalter", "Gestionnaire de paie"),
            new Job(3, 3, 4500, 7000, false, true, List.of("B2B sales", "Negotiation", "CRM", "Team leadership"),
                    "Sales manager", "Salesmanager", "Vertriebsleiter", "Responsable commercial"),
            new Job(3, 3, 3000, 4800, false, true, List.of("Account management", "CRM", "Negotiation", "Presentation"),
                    "Account manager", "Accountmanager", "Key-Account-Manager", "Chargé d'affaires"),
            new Job(5, 2, 2300, 3000, true, true, List.of("Customer contact", "Telephone skills", "CRM", "Complaint handling"),
                    "Customer service representative", "Klantenservicemedewerker", "Kundenservicemitarbeiter", "Conseiller clientèle"),
            new Job(4, 3, 2900, 4200, false, true, List.of("Content marketing", "SEO", "Social media", "Google Analytics"),
                    "Marketing coordinator", "Marketingcoördinator", "Marketingkoordinator", "Coordinateur marketing"),
            new Job(6, 3, 3300, 4900, false, true, List.of("Employment law", "Absence management", "Coaching", "HR systems"),
                    "HR advisor", "HR-adviseur", "Personalreferent", "Chargé de ressources humaines"),
            new Job(6, 3, 3000, 4500, false, true, List.of("Sourcing", "Interviewing", "LinkedIn Recruiter", "ATS"),
                    "Recruiter", "Recruiter", "Recruiter", "Chargé de recrutement"),
            new Job(7, 1, 2100, 2600, true, false, List.of("Order picking", "Hand scanner", "Reach truck", "Safety awareness"),
                    "Warehouse operative", "Magazijnmedewerker", "Lagermitarbeiter", "Préparateur de commandes"),
            new Job(7, 2, 2300, 2800, true, false, List.of("Forklift certificate", "Reach truck", "VCA", "Stock control"),
                    "Forklift driver", "Heftruckchauffeur", "Staplerfahrer", "Cariste"),
            new Job(7, 2, 2500, 3200, true, false, List.of("Driving licence C/CE", "Code 95", "Tachograph", "ADR"),
                    "Truck driver", "Vrachtwagenchauffeur", "Berufskraftfahrer", "Chauffeur poids lourd"),
            new Job(7, 2, 2800, 3800, false, false, List.of("Transport planning", "TMS", "Excel", "Communication"),
                    "Logistics planner", "Logistiek planner", "Disponent", "Planificateur logistique"),
            new Job(8, 2, 2900, 4000, true, false, List.of("Mechanics", "Electrical engineering", "PLC", "VCA"),
                    "Maintenance technician", "Onderhoudsmonteur", "Instandhaltungstechniker", "Technicien de maintenance"),
            new Job(8, 2, 2800, 3800, true, false, List.of("NEN 1010", "Installation", "Fault finding", "VCA"),
                    "Electrician", "Elektromonteur", "Elektriker", "Électricien"),
            new Job(8, 4, 3800, 5800, false, true, List.of("SolidWorks", "AutoCAD", "FEM", "Project management"),
                    "Mechanical engineer", "Werktuigbouwkundig ingenieur", "Maschinenbauingenieur", "Ingénieur mécanique"),
            new Job(8, 4, 4300, 6800, false, true, List.of("Prince2", "Scrum", "Stakeholder management", "Planning"),
                    "Project manager", "Projectmanager", "Projektleiter", "Chef de projet"),
            new Job(9, 3, 3000, 4400, false, false, List.of("BIG registration", "Medication", "Clinical reasoning", "Reporting"),
                    "Registered nurse", "Verpleegkundige", "Pflegefachkraft", "Infirmier"),
            new Job(9, 2, 2400, 3100, true, false, List.of("Personal care", "Reporting", "Empathy"),
                    "Care assistant", "Verzorgende IG", "Pflegehelfer", "Aide-soignant"),
            new Job(10, 2, 3000, 4200, false, false, List.of("Office management", "Planning", "Microsoft 365", "Facility management"),
                    "Office manager", "Officemanager", "Büroleiter", "Responsable des services généraux"),
            new Job(10, 3, 3000, 4300, false, true, List.of("Agenda management", "Microsoft 365", "Minutes", "Discretion"),
                    "Management assistant", "Managementassistent", "Assistenz der Geschäftsführung", "Assistant de direction"),
            new Job(11, 1, 2200, 2800, true, false, List.of("Machine operation", "5S", "Quality control", "Shift work"),
                    "Production operator", "Productiemedewerker", "Produktionsmitarbeiter", "Opérateur de production"),
            new Job(11, 2, 2700, 3600, false, false, List.of("ISO 9001", "Measuring", "Reporting", "Root cause analysis"),
                    "Quality inspector", "Kwaliteitscontroleur", "Qualitätsprüfer", "Contrôleur qualité"),
            new Job(12, 2, 2400, 3300, true, false, List.of("HACCP", "Menu planning", "Stock control", "Kitchen hygiene"),
                    "Chef", "Kok", "Koch", "Cuisinier"),
            new Job(12, 2, 2200, 2800, true, false, List.of("Front office", "Opera PMS", "Languages", "Hospitality"),
                    "Receptionist", "Receptionist", "Rezeptionist", "Réceptionniste"),
            new Job(13, 5, 4800, 7500, false, true, List.of("Contract law", "Corporate law", "Compliance", "GDPR"),
                    "Legal counsel", "Bedrijfsjurist", "Unternehmensjurist", "Juriste d'entreprise"));

    // ---- texts; every list of variants has the same length and order in each language, so texts translate each other

    private static Map<String, List<String>> texts(List<String> en, List<String> nl, List<String> de, List<String> fr) {
        return Map.of("en", en, "nl", nl, "de", de, "fr", fr);
    }

    private static final Map<String, List<String>> SUMMARIES = texts(
            List.of("{company} is hiring: {title} in {city}, {hours} hours a week.",
                    "Wanted in {city}: {title} for {hours} hours a week at {companyMid}."),
            List.of("{company} in {city} zoekt een {title} voor {hours} uur per week.",
                    "Gezocht in {city}: {title} voor {hours} uur per week bij {companyMid}."),
            List.of("{company} in {city} sucht ab sofort: {title} (m/w/d), {hours} Stunden pro Woche.",
                    "Gesucht in {city}: {title} (m/w/d) für {hours} Stunden pro Woche bei {companyMid}."),
            List.of("{company} à {city} recrute : {title} (H/F), {hours} heures par semaine.",
                    "Poste à pourvoir à {city} : {title} (H/F), {hours} heures par semaine, chez {companyMid}."));

    private static final Map<String, List<String>> DESCRIPTIONS = texts(
            List.of("In the role of {title} you join a team of {team} colleagues in {city}. You take responsibility for your own work, "
                            + "suggest improvements and work closely with other departments.",
                    "{company} is growing, and the team in {city} needs reinforcement. In this role you are the go-to person for your "
                            + "field, you keep the overview and customers and colleagues can rely on you.",
                    "In this position you work {hours} hours a week in a team of {team} people. You get a thorough introduction, a "
                            + "personal development plan and the freedom to organise your work your way."),
            List.of("Als {title} kom je in een team van {team} collega's in {city}. Je bent verantwoordelijk voor je eigen werk, denkt "
                            + "mee over verbeteringen en werkt nauw samen met andere afdelingen.",
                    "{company} groeit en het team in {city} zoekt versterking. In deze rol ben je het aanspreekpunt voor jouw vakgebied, "
                            + "houd je overzicht en kunnen klanten en collega's op je rekenen.",
                    "In deze functie werk je {hours} uur per week in een team van {team} mensen. Je krijgt een goede inwerkperiode, een "
                            + "persoonlijk ontwikkelplan en de vrijheid om je werk zelf in te richten."),
            List.of("Als {title} (m/w/d) arbeiten Sie in einem Team von {team} Kolleginnen und Kollegen in {city}. Sie verantworten "
                            + "Ihre eigenen Aufgaben, bringen Verbesserungsvorschläge ein und arbeiten eng mit anderen Abteilungen zusammen.",
                    "{company} wächst, und das Team in {city} braucht Verstärkung. In dieser Rolle sind Sie Ansprechpartner für Ihr "
                            + "Fachgebiet, behalten den Überblick und Kunden wie Kollegen können sich auf Sie verlassen.",
                    "In dieser Position arbeiten Sie {hours} Stunden pro Woche in einem Team von {team} Personen. Sie erhalten eine "
                            + "gründliche Einarbeitung, einen persönlichen Entwicklungsplan und viel Freiraum bei der Gestaltung Ihrer Arbeit."),
            List.of("En tant que {title}, vous rejoignez une équipe de {team} collègues à {city}. Vous êtes responsable de votre "
                            + "travail, proposez des améliorations et collaborez étroitement avec les autres services.",
                    "{company} est en pleine croissance et l'équipe de {city} a besoin de renfort. Dans ce rôle, vous êtes la personne "
                            + "de référence dans votre domaine, vous gardez une vue d'ensemble et clients comme collègues peuvent compter sur vous.",
                    "Dans ce poste, vous travaillez {hours} heures par semaine au sein d'une équipe de {team} personnes. Vous bénéficiez "
                            + "d'une intégration complète, d'un plan de développement personnel et d'une grande autonomie dans votre travail."));

    /** Requirements: [0] with experience, [1] for starters. */
    private static final Map<String, List<String>> REQUIREMENTS = texts(
            List.of("You have completed {education} and have at least {years} years of relevant work experience. You speak and write "
                            + "{languages} well, you work accurately and you enjoy being part of a team.",
                    "You have completed {education}. No experience needed: you learn the job from experienced colleagues. You speak and "
                            + "write {languages} well and you enjoy being part of a team."),
            List.of("Je hebt een afgeronde opleiding op {education}-niveau en minimaal {years} jaar relevante werkervaring. Je spreekt "
                            + "en schrijft goed {languages}, je werkt nauwkeurig en je vindt het leuk om deel uit te maken van een team.",
                    "Je hebt een afgeronde opleiding op {education}-niveau. Ervaring is niet nodig: je leert het vak van ervaren "
                            + "collega's. Je spreekt en schrijft goed {languages} en je vindt het leuk om deel uit te maken van een team."),
            List.of("Sie haben {education} abgeschlossen und mindestens {years} Jahre einschlägige Berufserfahrung. Sie sprechen und "
                            + "schreiben gut {languages}, arbeiten sorgfältig und sind gern Teil eines Teams.",
                    "Sie haben {education} abgeschlossen. Berufserfahrung ist nicht erforderlich: Sie lernen den Beruf von erfahrenen "
                            + "Kolleginnen und Kollegen. Sie sprechen und schreiben gut {languages} und sind gern Teil eines Teams."),
            List.of("Vous êtes titulaire {education} et justifiez d'au moins {years} ans d'expérience dans un poste similaire. Vous "
                            + "maîtrisez {languages} à l'écrit comme à l'oral, vous êtes rigoureux et vous aimez travailler en équipe.",
                    "Vous êtes titulaire {education}. Aucune expérience n'est requise : vous apprenez le métier auprès de collègues "
                            + "expérimentés. Vous maîtrisez {languages} à l'écrit comme à l'oral et vous aimez travailler en équipe."));

    private static final Map<String, List<String>> OFFERS = texts(
            List.of("A salary of {salary}, {holidays} days of holiday, a travel allowance and a good pension scheme. {contract}{remote} "
                    + "Plenty of room for training and personal development."),
            List.of("Een salaris van {salary}, {holidays} vakantiedagen, een reiskostenvergoeding en een goede pensioenregeling. "
                    + "{contract}{remote} Volop ruimte voor opleiding en persoonlijke ontwikkeling."),
            List.of("Ein Gehalt von {salary}, {holidays} Urlaubstage, ein Fahrtkostenzuschuss und eine betriebliche Altersvorsorge. "
                    + "{contract}{remote} Viel Raum für Weiterbildung und persönliche Entwicklung."),
            List.of("Un salaire de {salary}, {holidays} jours de congés, la prise en charge des frais de transport et une bonne "
                    + "mutuelle. {contract}{remote} De nombreuses possibilités de formation et d'évolution."));

    /** By employment type 1-5 (permanent, temporary, interim, internship, traineeship). */
    private static final Map<String, List<String>> CONTRACTS = texts(
            List.of("A permanent contract from day one.", "A temporary contract for {months} months, with a good chance of extension.",
                    "An interim assignment of {months} months.", "An internship allowance and close guidance.",
                    "A two-year traineeship with rotations across departments."),
            List.of("Een vast contract vanaf de eerste dag.", "Een tijdelijk contract voor {months} maanden, met uitzicht op verlenging.",
                    "Een interimopdracht van {months} maanden.", "Een stagevergoeding en goede begeleiding.",
                    "Een traineeship van twee jaar langs verschillende afdelingen."),
            List.of("Ein unbefristeter Arbeitsvertrag ab dem ersten Tag.",
                    "Ein befristeter Vertrag über {months} Monate mit Aussicht auf Verlängerung.", "Ein Interimsmandat über {months} Monate.",
                    "Eine Praktikumsvergütung und eine intensive Betreuung.",
                    "Ein zweijähriges Traineeprogramm mit Stationen in verschiedenen Abteilungen."),
            List.of("Un CDI dès le premier jour.", "Un CDD de {months} mois, avec de réelles perspectives de prolongation.",
                    "Une mission de {months} mois en indépendant.", "Une gratification de stage et un accompagnement de proximité.",
                    "Un programme de deux ans avec des rotations dans différents services."));

    /** By remote work option 1-3 (on site, hybrid, remote). */
    private static final Map<String, List<String>> REMOTE = texts(
            List.of("", " You work partly from home.", " You work fully remotely."),
            List.of("", " Je werkt deels thuis.", " Je werkt volledig op afstand."),
            List.of("", " Sie arbeiten teilweise im Homeoffice.", " Sie arbeiten vollständig remote."),
            List.of("", " Vous travaillez en partie en télétravail.", " Vous travaillez entièrement à distance."));

    /** By education level 1-5, fitted into the requirements sentence. */
    private static final Map<String, List<String>> EDUCATION = texts(
            List.of("secondary school", "vocational training", "a bachelor's degree at a university of applied sciences",
                    "a university bachelor's degree", "a master's degree"),
            List.of("havo", "mbo", "hbo", "wo", "wo"),
            List.of("die Mittlere Reife", "eine Berufsausbildung", "ein Studium an einer Fachhochschule", "ein Bachelorstudium",
                    "ein Masterstudium"),
            List.of("du baccalauréat", "d'un CAP ou d'un BTS", "d'une licence professionnelle", "d'une licence", "d'un master"));

    /** The languages a job in a country asks for, per text language. */
    private static final Map<String, Map<String, String>> WORK_LANGUAGES = Map.of(
            "NL", Map.of("en", "Dutch and English", "nl", "Nederlands en Engels", "de", "Niederländisch und Englisch",
                    "fr", "le néerlandais et l'anglais"),
            "BE", Map.of("en", "Dutch and French", "nl", "Nederlands en Frans", "de", "Niederländisch und Französisch",
                    "fr", "le néerlandais et le français"),
            "DE", Map.of("en", "German and English", "nl", "Duits en Engels", "de", "Deutsch und Englisch", "fr", "l'allemand et l'anglais"),
            "FR", Map.of("en", "French and English", "nl", "Frans en Engels", "de", "Französisch und Englisch", "fr", "le français et l'anglais"),
            "GB", Map.of("en", "English", "nl", "Engels", "de", "Englisch", "fr", "l'anglais"));

    /** An unnamed employer: [at the start of a sentence, further on]. */
    private static final Map<String, List<String>> OUR_CLIENT = texts(
            List.of("Our client", "our client"), List.of("Onze opdrachtgever", "onze opdrachtgever"),
            List.of("Unser Kunde", "unserem Kunden"), List.of("Notre client", "notre client"));

    private static final Map<String, List<String>> SALARY_PHRASES = texts(
            List.of("{from} to {to} gross per month", "{from} to {to} gross per hour"),
            List.of("{from} tot {to} bruto per maand", "{from} tot {to} bruto per uur"),
            List.of("{from} bis {to} brutto pro Monat", "{from} bis {to} brutto pro Stunde"),
            List.of("{from} à {to} brut par mois", "{from} à {to} brut de l'heure"));

    private static final Map<String, List<String>> PROMO_TEXTS = texts(
            List.of("{title} with {years} years of experience, based in {city}."),
            List.of("{title} met {years} jaar ervaring, woonachtig in {city}."),
            List.of("{title} mit {years} Jahren Berufserfahrung aus {city}."),
            List.of("{title} avec {years} ans d'expérience, basé(e) à {city}."));

    private static final Map<String, List<String>> CANDIDATE_REMARKS = texts(
            List.of("Strong first interview; check references.", "Prefers a job close to home.", "Only interested in permanent positions.",
                    "Called back about salary expectations; flexible.", "Open to part-time work."),
            List.of("Sterk eerste gesprek; referenties nagaan.", "Zoekt bij voorkeur werk dicht bij huis.",
                    "Alleen geïnteresseerd in een vaste baan.", "Teruggebeld over salarisindicatie; flexibel.", "Staat open voor parttime werk."),
            List.of("Starkes Erstgespräch; Referenzen prüfen.", "Sucht eine Stelle in Wohnortnähe.", "Nur an Festanstellungen interessiert.",
                    "Wegen Gehaltsvorstellung zurückgerufen; flexibel.", "Offen für Teilzeit."),
            List.of("Excellent premier entretien ; vérifier les références.", "Préfère un poste proche de son domicile.",
                    "Intéressé(e) uniquement par un CDI.", "Rappelé(e) au sujet du salaire ; flexible.", "Ouvert(e) au temps partiel."));

    private static final Map<String, List<String>> RELATION_REMARKS = texts(
            List.of("Prefers to receive CVs by e-mail.", "Framework agreement until the end of next year.",
                    "Invoices via the purchasing portal.", "Contact the HR department first."),
            List.of("Ontvangt cv's het liefst per e-mail.", "Raamovereenkomst tot eind volgend jaar.", "Facturen via het inkoopportaal.",
                    "Eerst contact opnemen met de HR-afdeling."),
            List.of("Bevorzugt Lebensläufe per E-Mail.", "Rahmenvertrag bis Ende nächsten Jahres.", "Rechnungen über das Einkaufsportal.",
                    "Zuerst die Personalabteilung kontaktieren."),
            List.of("Préfère recevoir les CV par e-mail.", "Contrat-cadre jusqu'à la fin de l'année prochaine.",
                    "Factures via le portail achats.", "Contacter d'abord le service RH."));

    private static final Map<String, List<String>> CONTACT_REMARKS = texts(
            List.of("Prefers to be called in the morning.", "Reachable by phone on Mondays and Tuesdays."),
            List.of("Liefst 's ochtends bellen.", "Telefonisch bereikbaar op maandag en dinsdag."),
            List.of("Am liebsten vormittags anrufen.", "Montags und dienstags telefonisch erreichbar."),
            List.of("Préfère être appelé(e) le matin.", "Joignable par téléphone le lundi et le mardi."));

    private static final Map<String, List<String>> VACANCY_REMARKS = texts(
            List.of("Customer wants a shortlist within two weeks.", "Second interview on site with the team lead.",
                    "Salary negotiable for a strong candidate."),
            List.of("Klant wil binnen twee weken een shortlist.", "Tweede gesprek op locatie met de teamleider.",
                    "Salaris bespreekbaar voor een sterke kandidaat."),
            List.of("Kunde wünscht eine Shortlist innerhalb von zwei Wochen.", "Zweitgespräch vor Ort mit der Teamleitung.",
                    "Gehalt für starke Kandidaten verhandelbar."),
            List.of("Le client souhaite une shortlist sous deux semaines.", "Second entretien sur site avec le chef d'équipe.",
                    "Salaire négociable pour un bon profil."));

    /** Job titles of contacts at a customer: [HR, management], per culture. */
    private static final Map<String, List<List<String>>> CONTACT_FUNCTIONS = Map.of(
            "nl", List.of(List.of("HR-manager", "Recruiter", "HR-adviseur"), List.of("Directeur", "Teamleider", "Operationeel manager")),
            "de", List.of(List.of("Personalleitung", "Recruiting", "Personalreferent"), List.of("Geschäftsführung", "Teamleitung", "Betriebsleitung")),
            "fr", List.of(List.of("Responsable RH", "Chargé(e) de recrutement", "Responsable du personnel"),
                    List.of("Direction générale", "Chef d'équipe", "Responsable des opérations")),
            "en", List.of(List.of("HR Manager", "Talent Acquisition Lead", "HR Business Partner"),
                    List.of("Managing Director", "Team Leader", "Operations Manager")));

    private static final Map<String, String> INVOICE_MAILBOXES = Map.of("nl", "facturen", "de", "rechnungen", "fr", "factures", "en", "invoices");

    // ---- the generator

    private record Relation(String uid, String name, City city, int status, Long owner, List<Job> jobs, List<String> contacts) {
    }

    private record Person(String firstName, String infix, String lastName, String gender, String culture) {

        String surname() {
            return infix.isEmpty() ? lastName : infix + " " + lastName;
        }
    }

    private static final class Generator {

        private final RecordService records;
        private final long tenantId;
        private final List<Long> users;
        private final List<String> languages;
        private final String language;
        private final LocalDate today;
        private final Random random = new Random(SEED);
        private final RecordType candidateType;
        private final RecordType vacancyType;
        private final RecordType relationType;
        private final RecordType contactType;
        private final RecordType documentType;
        private final Schemas schemas;
        private final Set<String> emails = new HashSet<>();
        private final Set<String> companyNames = new HashSet<>();
        /** New records written together by {@link #run}. */
        private final List<RecordService.Upsert> pending = new ArrayList<>();

        Generator(RecordService records, Schemas schemas, long tenantId, List<Long> userIds, List<String> languages, LocalDate today) {
            this.records = records;
            this.tenantId = tenantId;
            this.users = List.copyOf(userIds);
            var texts = languages.stream().filter(TEXT_LANGUAGES::contains).distinct().toList();
            this.languages = texts.isEmpty() ? List.of("en") : texts;
            this.language = this.languages.getFirst();
            this.today = today;
            this.candidateType = type(schemas, "recruiting.Candidate");
            this.vacancyType = type(schemas, "recruiting.Vacancy");
            this.relationType = type(schemas, "crm.Relation");
            this.contactType = type(schemas, "crm.RelationContact");
            this.documentType = type(schemas, "documents.DocumentType");
            this.schemas = schemas;
        }

        private static RecordType type(Schemas schemas, String name) {
            return schemas.type(name).orElseThrow(() -> new IllegalStateException("no definition for " + name));
        }

        /** A collection's items by item key, as core takes them. */
        @SuppressWarnings("unchecked")
        private static CollectionEdit items(Map<String, ?> items) {
            var out = new LinkedHashMap<String, Map<String, Object>>();
            items.forEach((key, item) -> out.put(key, (Map<String, Object>) item));
            return CollectionEdit.of(out);
        }

        void run() {
            documentTypes();
            websites();
            procedureStatuses();
            // relations, their contacts, the candidates and the vacancies (with their texts in every
            // language) are written together, as the HR import writes (a few statements a table, not
            // a few a record); vacancies refer to relations queued before them
            var relations = new ArrayList<Relation>();
            for (int i = 0; i < RELATIONS; i++) {
                relations.add(relation(i, relations));
            }
            for (int i = 0; i < CANDIDATES; i++) {
                candidate();
            }
            var customers = relations.stream().filter(r -> r.status() == 2).toList();
            for (int i = 0; i < VACANCIES; i++) {
                vacancy(i, pick(customers.isEmpty() ? relations : customers));
            }
            writeAll(records, as(null), pending, language);
            pending.clear();
        }

        // ---- document types

        private void documentTypes() {
            for (int i = 0; i < DOCUMENT_TYPES.size(); i++) {
                var name = DOCUMENT_TYPES.get(i);
                var values = new LinkedHashMap<String, Object>();
                values.put("name", name);
                values.put("forDocuments", true);
                values.put("forNotes", name.equals("Other"));
                for (var entity : List.of("forCandidates", "forCustomers", "forCustomerContacts", "forVacancies", "forTasks", "forSales",
                        "forProjects")) {
                    values.put(entity, true);
                }
                values.put("sortOrder", (i + 1) * 10);
                values.put("uid", DOCUMENT_TYPE_UIDS.get(i));
                records.add(as(owner()), documentType, values, language);
            }
        }

        // ---- what a career site needs: websites, a sending profile, procedure statuses

        private void websites() {
            for (var site : WEBSITES) {
                records.add(as(null), type(schemas, "publishing.Website"),
                        Map.of("uid", site.get(0), "siteId", site.get(0), "name", site.get(1), "website", site.get(2)), language);
            }
            var site = WEBSITES.getFirst();
            records.add(as(null), type(schemas, "mail.SendingProfile"), Map.of("name", site.get(1), "email", "jobs@demo.example",
                    "siteId", site.get(0), "isStandardProfile", true), language);
        }

        private void procedureStatuses() {
            for (int step = 1; step <= PROCEDURE_STATUSES.size(); step++) {
                var statuses = PROCEDURE_STATUSES.get(step - 1);
                for (int i = 0; i < statuses.size(); i++) {
                    records.add(as(null), type(schemas, "recruiting.ProcedureStatus" + step), Map.of("code", statuses.get(i).getKey(),
                            "automaticallySelectEvent", statuses.get(i).getValue(), "sortOrder", (i + 1) * 10), language);
                }
            }
        }

        // ---- relations and their contacts

        private Relation relation(int index, List<Relation> earlier) {
            var country = weighted(List.of("NL", "BE", "DE", "FR", "GB"), 50, 10, 20, 10, 10);
            var city = pick(CITIES.stream().filter(c -> c.country().equals(country)).toList());
            var culture = city.culture();
            var sector = pick(SECTORS);
            String base;
            String name;
            do {
                base = pick(CULTURES.get(culture).companyBases()) + " " + sector.word().get(culture);
                name = base + " " + LEGAL_FORMS.get(country);
            } while (!companyNames.add(name));
            var domain = ascii(base) + ".example";
            var status = weighted(List.of(2, 1, 3, 4), 65, 20, 12, 3);
            var owner = owner();
            var values = new LinkedHashMap<String, Object>();
            values.put("name", name);
            if (chance(0.15)) {
                values.put("legalName", base + " Holding " + LEGAL_FORMS.get(country));
            }
            values.put("customerNr", String.format(Locale.ROOT, "%04d.%02d.%04d", 1001 + index, 10 + random.nextInt(90), 1000 + random.nextInt(9000)));
            values.put("chamberOfCommerceNr", fill(switch (country) {
                case "NL" -> "########";
                case "BE" -> "0###.###.###";
                case "DE" -> "HRB ######";
                case "FR" -> "### ### ###";
                default -> "0#######";
            }));
            values.put("vatNr", fill(switch (country) {
                case "NL" -> "NL#########B01";
                case "BE" -> "BE0#########";
                case "DE" -> "DE#########";
                case "FR" -> "FR###########";
                default -> "GB#########";
            }));
            values.put("website", "https://www." + domain);
            values.put("email", "info@" + domain);
            values.put("Address", address(city));
            if (chance(0.2)) {
                var postal = new LinkedHashMap<String, Object>();
                postal.put("address", fill(switch (culture) {
                    case "nl" -> "Postbus ####";
                    case "de" -> "Postfach ## ## ##";
                    case "fr" -> "BP ###";
                    default -> "PO Box ###";
                }));
                postal.put("postcode", fill(city.postcode()));
                postal.put("city", city.name());
                postal.put("countryCode", city.country());
                values.put("PostalAddress", postal);
            }
            var phones = new LinkedHashMap<String, Object>();
            phones.put("1", Map.of("type", "primary", "phoneNumber", fill(city.landline())));
            if (chance(0.1)) {
                phones.put("2", Map.of("type", "fax", "phoneNumber", fill(city.landline())));
            }
            values.put("PhoneNumbers", items(phones));
            values.put("statusId", status);
            putIfNotNull(values, "userId", owner);
            values.put("industryId", sector.industryId());
            values.put("companySizeId", weighted(List.of(1, 2, 3, 4, 5), 10, 30, 35, 15, 10));
            if (index >= RELATIONS - 10 && chance(0.4)) {
                var sameCountry = earlier.stream().filter(r -> r.city().country().equals(country)).toList();
                if (!sameCountry.isEmpty()) {
                    values.put("parentRelationUid", pick(sameCountry).uid());
                }
            }
            values.put("feePercentage", 15 + random.nextInt(21) * 0.5);
            values.put("paymentTermDays", pick(List.of(14, 30, 30, 30, 45, 60)));
            values.put("invoiceEmail", INVOICE_MAILBOXES.get(culture) + "@" + domain);
            values.put("doNotContact", chance(0.05));
            if (chance(0.3)) {
                values.put("remarks", pick(RELATION_REMARKS.get(language)));
            }
            var uid = later(relationType, values, owner);
            var jobs = JOBS.stream().filter(j -> sector.categories().contains(j.category())).toList();
            var contacts = new ArrayList<String>();
            for (int c = 0; c < CONTACTS_PER_RELATION; c++) {
                contacts.add(contact(uid, domain, city, culture, c, owner));
            }
            return new Relation(uid, name, city, status, owner, jobs, contacts);
        }

        private String contact(String relationUid, String domain, City city, String culture, int position, Long relationOwner) {
            var person = person(culture);
            var email = unique(ascii(person.firstName().substring(0, 1)) + "." + ascii(person.surname()), domain);
            var values = new LinkedHashMap<String, Object>();
            values.put("relationUid", relationUid);
            var personValues = personValues(person);
            personValues.put("languageCode", culture);
            personValues.put("emailPrimary", email);
            var phones = new LinkedHashMap<String, Object>();
            phones.put("1", Map.of("type", "work", "phoneNumber", fill(city.landline())));
            if (chance(0.6)) {
                var mobile = fill(MOBILES.get(city.country()));
                personValues.put("phoneMobile", mobile);
                phones.put("2", Map.of("type", "mobile", "phoneNumber", mobile));
            }
            personValues.put("PhoneNumbers", items(phones));
            personValues.put("Emails", items(Map.of("1", Map.of("type", "work", "email", email))));
            values.put("Person", personValues);
            values.put("salutationId", switch (person.gender()) {
                case "m" -> 1;
                case "f" -> 2;
                default -> 3;
            });
            values.put("function", pick(CONTACT_FUNCTIONS.get(culture).get(position == 0 ? 0 : 1)));
            values.put("department", position == 0 ? "HR" : pick(List.of("Management", "Operations", "Finance", "IT")));
            values.put("primaryContact", position == 0);
            values.put("decisionMaker", position != 0 || chance(0.3));
            values.put("receivesNewsletter", chance(0.5));
            values.put("statusId", weighted(List.of(1, 2, 3), 90, 7, 3));
            var owner = chance(0.8) ? relationOwner : owner();
            putIfNotNull(values, "userId", owner);
            if (chance(0.3)) {
                values.put("linkedinUrl", "https://www.linkedin.com/in/" + ascii(person.firstName()) + "-" + ascii(person.surname()) + "-"
                        + fill("####"));
            }
            if (chance(0.2)) {
                values.put("remarks", pick(CONTACT_REMARKS.get(language)));
            }
            return later(contactType, values, owner);
        }

        // ---- candidates

        /** A new candidate, owned (its userId) by a demo user. */
        private void candidate() {
            var country = weighted(List.of("NL", "BE", "DE", "FR", "GB"), 45, 8, 17, 14, 16);
            var city = pick(CITIES.stream().filter(c -> c.country().equals(country)).toList());
            var culture = city.culture();
            var person = person(culture);
            var age = 19 + random.nextInt(45);
            var education = weighted(List.of(1, 2, 3, 4, 5, 6), 10, 35, 30, 12, 11, 2);
            var years = Math.max(0, Math.min(age - 18 - (education >= 3 ? 4 : 1) - random.nextInt(3), 40));
            var fitting = JOBS.stream().filter(j -> Math.abs(j.education() - Math.min(education, 5)) <= 1).toList();
            var job = pick(fitting);
            var status = weighted(List.of(1, 2, 3, 4, 5, 6, 7), 15, 15, 30, 15, 10, 10, 5);
            var owner = owner();

            var values = new LinkedHashMap<String, Object>();
            var personValues = personValues(person);
            personValues.put("birthdate", today.minusYears(age).minusDays(random.nextInt(365)));
            if (chance(0.6)) {
                personValues.put("placeOfBirth", pick(CITIES.stream().filter(c -> c.culture().equals(culture)).toList()).name());
            }
            personValues.put("nationalityCode", chance(0.9) ? country : pick(List.of("PL", "RO", "TR", "MA", "SR", "IN", "ES", "IT", "PT")));
            personValues.put("languageCode", culture);
            var email = unique(ascii(person.firstName()) + "." + ascii(person.surname()), pick(List.of("example.com", "example.net", "example.org")));
            personValues.put("emailPrimary", email);
            var mobile = fill(MOBILES.get(country));
            personValues.put("phoneMobile", mobile);
            var home = address(city);
            if (country.equals("DE") || country.equals("GB")) {
                home.put("stateCode", city.region());
            }
            personValues.put("AddressPrimary", home);
            var phones = new LinkedHashMap<String, Object>();
            phones.put("1", Map.of("type", "mobile", "phoneNumber", mobile));
            var phoneCount = weighted(List.of(1, 2, 3), 50, 35, 15);
            if (phoneCount >= 2) {
                phones.put("2", Map.of("type", "primary", "phoneNumber", fill(city.landline())));
            }
            if (phoneCount >= 3) {
                var workCity = pick(CITIES.stream().filter(c -> c.country().equals(country)).toList());
                phones.put("3", Map.of("type", "work", "phoneNumber", fill(workCity.landline())));
            }
            personValues.put("PhoneNumbers", items(phones));
            var mails = new LinkedHashMap<String, Object>();
            mails.put("1", Map.of("type", "private", "email", email));
            String employer = null;
            if (years > 0 && chance(0.6)) {
                employer = pick(CULTURES.get(culture).companyBases()) + " " + pick(SECTORS).word().get(culture);
                if (chance(0.35)) {
                    mails.put("2", Map.of("type", "work", "email",
                            ascii(person.firstName()) + "." + ascii(person.surname()) + "@" + ascii(employer) + ".example"));
                }
            }
            personValues.put("Emails", items(mails));
            values.put("Person", personValues);
            if (chance(0.1)) {
                var postalCity = pick(CITIES.stream().filter(c -> c.country().equals(country)).toList());
                var postal = address(postalCity);
                postal.put("type", "postal");
                values.put("Addresses", items(Map.of("1", postal)));
            }
            values.put("statusId", status);
            putIfNotNull(values, "userId", owner);

            var source = weighted(List.of("website", "LinkedIn", "Indeed", jobBoard(country), "referral", "open application", "job fair",
                    "database import"), 30, 20, 12, 10, 10, 8, 5, 5);
            var pointOfEntry = switch (source) {
                case "website" -> "web";
                case "referral" -> "referral";
                case "open application" -> "email";
                case "job fair" -> "manual";
                case "database import" -> "import";
                default -> "jobboard";
            };
            values.put("source", source);
            values.put("pointOfEntry", pointOfEntry);
            if (pointOfEntry.equals("web")) {
                values.put("originSiteId", 1);
                if (chance(0.6)) {
                    var utm = new LinkedHashMap<String, Object>();
                    var utmSource = pick(List.of("google", "linkedin", "facebook", "newsletter"));
                    utm.put("source", utmSource);
                    utm.put("medium", switch (utmSource) {
                        case "google" -> "cpc";
                        case "newsletter" -> "email";
                        default -> "social";
                    });
                    utm.put("campaign", pick(List.of("vacancies", "summer-hiring", "tech-talent", "logistics-drive")));
                    if (chance(0.5)) {
                        utm.put("content", pick(List.of("banner-a", "banner-b", "text-link")));
                    }
                    values.put("UtmTags", utm);
                }
                values.put("acceptTerms", true);
                var accepted = today.minusDays(1 + random.nextInt(400)).atTime(8 + random.nextInt(14), random.nextInt(60), random.nextInt(60));
                values.put("acceptTermsTs", accepted.format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT)));
                values.put("acceptTermsIp", (chance(0.5) ? "192.0.2." : "198.51.100.") + (1 + random.nextInt(254)));
            } else if (source.equals(jobBoard(country)) || source.equals("Indeed")) {
                values.put("portalId", ascii(source));
            }
            LocalDate available = null;
            if (status <= 4 && chance(0.85)) {
                available = today.plusDays(random.nextInt(121));
                values.put("availableAt", available);
            }
            values.put("noticeTerm", pick(List.of(0, 2, 4, 4, 4, 8, 12)));
            values.put("hoursPerWeek", pick(List.of(24, 32, 32, 36, 38, 40, 40, 40)));
            var gbp = country.equals("GB");
            var expectation = (job.salaryMin() + job.salaryMax()) / 2.0 * (0.85 + random.nextDouble() * 0.3) + years * 40;
            values.put("salaryExpectation", roundTo(gbp ? expectation * 0.86 : expectation, 50));
            values.put("currencyId", gbp ? 3 : 1);
            values.put("educationLevelId", education);
            values.put("yearsOfExperience", years);
            if (years > 0 && chance(0.8)) {
                values.put("currentJobTitle", job.title(culture));
            }
            putIfNotNull(values, "currentEmployer", employer);
            var licence = chance(0.8);
            values.put("driversLicence", licence);
            values.put("ownsCar", licence && chance(0.75));
            values.put("willRelocate", chance(0.15));
            values.put("maxTravelDistance", 10 + 5 * random.nextInt(15));
            if (chance(0.4)) {
                values.put("linkedinUrl", "https://www.linkedin.com/in/" + ascii(person.firstName()) + "-" + ascii(person.surname()) + "-"
                        + fill("####"));
            }
            values.put("doNotContact", chance(0.03));
            if (chance(0.7)) {
                values.put("gdprConsentUntil", today.plusMonths(6 + random.nextInt(19)));
            }
            if ((job.category() == 7 || job.category() == 8 || job.category() == 11) && chance(0.5)) {
                values.put("vcaExpirationDate", today.plusDays(random.nextInt(3 * 365) - 180));
            }
            if (years >= 2 && chance(0.35)) {
                var promo = PROMO_TEXTS.get(culture).getFirst()
                        .replace("{title}", job.title(culture)).replace("{years}", Integer.toString(years)).replace("{city}", city.name());
                if (available != null) {
                    promo += " " + available(culture, available);
                }
                values.put("promoText", promo);
            }
            if (chance(0.4)) {
                values.put("remarks", pick(CANDIDATE_REMARKS.get(language)));
            }
            later(candidateType, values, owner);
        }

        /**
         * Queues a new record for {@link #run}'s batch and gives its uid (random, as an add makes
         * it); {@code owner}, when given, becomes its userId unless the values name one, as an add
         * by that user would.
         */
        private String later(RecordType type, Map<String, Object> values, Long owner) {
            return later(type, values, owner, Map.of());
        }

        /** As {@link #later(RecordType, Map, Long)}, with the translatable fields in further languages too. */
        private String later(RecordType type, Map<String, Object> values, Long owner, Map<String, Map<String, Object>> otherLanguages) {
            if (owner != null && type.field("userId").isPresent()) {
                values.putIfAbsent("userId", owner);
            }
            var uid = io.dossier.core.identity.Secrets.randomHex(16);
            pending.add(new RecordService.Upsert(type, uid, values, otherLanguages));
            return uid;
        }

        private static String jobBoard(String country) {
            return switch (country) {
                case "NL" -> "Nationale Vacaturebank";
                case "BE" -> "VDAB";
                case "DE" -> "StepStone";
                case "FR" -> "France Travail";
                default -> "Reed";
            };
        }

        private static String available(String culture, LocalDate date) {
            var formatted = date.format(DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.of(culture)));
            return switch (culture) {
                case "nl" -> "Beschikbaar per " + formatted + ".";
                case "de" -> "Verfügbar ab " + date.format(DateTimeFormatter.ofPattern("d. MMMM yyyy", Locale.GERMAN)) + ".";
                case "fr" -> "Disponible à partir du " + formatted + ".";
                default -> "Available from " + formatted + ".";
            };
        }

        // ---- vacancies

        private void vacancy(int index, Relation relation) {
            var job = relation.jobs().isEmpty() ? pick(JOBS) : pick(relation.jobs());
            var country = relation.city().country();
            var city = chance(0.7) ? relation.city() : pick(CITIES.stream().filter(c -> c.country().equals(country)).toList());
            var status = weighted(List.of(2, 1, 3, 4, 5, 6), 55, 8, 10, 15, 8, 4);
            var published = status == 2 && chance(0.85);
            var employmentType = job.hourly()
                    ? weighted(List.of(1, 2, 3, 4, 5), 45, 45, 2, 4, 4)
                    : weighted(List.of(1, 2, 3, 4, 5), 62, 15, 13, 5, 5);
            var years = employmentType >= 4 ? 0 : pick(List.of(0, 2, 3, 3, 5, 5, 8));
            var experienceLevel = years == 0 ? 1 : years <= 3 ? 2 : years <= 5 ? 3 : 4;
            var remote = job.remote() ? weighted(List.of(1, 2, 3), 25, 60, 15) : 1;
            var hours = pick(List.of(24, 32, 32, 36, 38, 40, 40, 40));
            var team = 4 + random.nextInt(22);
            var months = pick(List.of(3, 6, 6, 12));
            var holidays = 25 + random.nextInt(6);
            var showEmployer = chance(0.7);
            var gbp = country.equals("GB");
            var hourly = employmentType == 2 && job.hourly();
            double salaryMin;
            double salaryMax;
            if (employmentType == 4) {
                salaryMin = 500 + 50 * random.nextInt(5);
                salaryMax = salaryMin + 200;
            } else {
                var factor = (0.9 + random.nextDouble() * 0.2) * (gbp ? 0.86 : 1);
                salaryMin = roundTo(job.salaryMin() * factor, 50);
                salaryMax = roundTo(job.salaryMax() * factor, 50);
                if (hourly) {
                    salaryMin = roundTo(salaryMin / 165, 0.25);
                    salaryMax = roundTo(salaryMax / 165, 0.25);
                }
            }
            var variant = random.nextInt(2);
            var descriptionVariant = random.nextInt(3);
            var remarks = chance(0.25) ? pick(VACANCY_REMARKS.get(language)) : null;
            var skills = new ArrayList<>(job.skills());
            java.util.Collections.shuffle(skills, random);
            var skillCount = 2 + random.nextInt(Math.min(3, skills.size() - 1));

            var values = new LinkedHashMap<String, Object>();
            values.putAll(texts(language, job, relation, city, variant, descriptionVariant, hours, team, years, employmentType, months,
                    remote, holidays, showEmployer, salaryMin, salaryMax, hourly, gbp));
            values.put("referenceNr", String.format(Locale.ROOT, "VAC-%04d", index + 1));
            values.put("slug", slug(String.valueOf(values.get("title")), index + 1));
            if (chance(0.4)) {
                values.put("externalReferenceNr", fill("REQ-#####"));
            }
            values.put("statusId", status);
            putIfNotNull(values, "userId", relation.owner());
            values.put("relationUid", relation.uid());
            values.put("relationContactUid", pick(relation.contacts()));
            values.put("categoryId", job.category());
            values.put("employmentTypeId", employmentType);
            values.put("educationLevelId", job.education());
            values.put("experienceLevelId", experienceLevel);
            values.put("remoteWorkId", remote);
            var location = new LinkedHashMap<String, Object>();
            if (city == relation.city()) {
                location.putAll(address(city));
            } else {
                location.put("postcode", fill(city.postcode()));
                location.put("city", city.name());
                location.put("countryCode", country);
            }
            location.put("region", city.region());
            values.put("location", location);
            values.put("salaryMin", salaryMin);
            values.put("salaryMax", salaryMax);
            values.put("salaryCurrency", gbp ? "GBP" : "EUR");
            values.put("salaryUnit", hourly ? "hour" : "month");
            values.put("hoursPerWeek", hours);
            values.put("candidatesNeeded", job.hourly() && chance(0.3) ? pick(List.of(2, 3, 5)) : 1);
            values.put("startDate", today.plusDays(14 + random.nextInt(77)));
            values.put("published", published);
            var from = today.minusDays(random.nextInt(61));
            var to = from.plusDays(30 + random.nextInt(61));
            values.put("publishedFrom", from);
            values.put("publishedTo", published && to.isBefore(today.plusDays(7)) ? today.plusDays(7 + random.nextInt(30)) : to);
            values.put("showEmployer", showEmployer);
            if (published) {
                var sites = new LinkedHashMap<String, Object>();
                sites.put(WEBSITES.get(0).get(0), Map.of("siteId", WEBSITES.get(0).get(0)));
                if (job.category() == 1) {
                    sites.put(WEBSITES.get(1).get(0), Map.of("siteId", WEBSITES.get(1).get(0)));
                }
                values.put("publishedWebsites", items(sites));
            }
            var skillItems = new LinkedHashMap<String, Object>();
            for (int s = 0; s < skillCount; s++) {
                skillItems.put(Integer.toString(s + 1), Map.of("name", skills.get(s), "required", s == 0 || chance(0.5)));
            }
            values.put("Skills", items(skillItems));
            putIfNotNull(values, "remarks", remarks);
            var otherLanguages = new LinkedHashMap<String, Map<String, Object>>();
            for (var other : languages.subList(1, languages.size())) {
                otherLanguages.put(other, texts(other, job, relation, city, variant, descriptionVariant, hours, team, years,
                        employmentType, months, remote, holidays, showEmployer, salaryMin, salaryMax, hourly, gbp));
            }
            later(vacancyType, values, relation.owner(), otherLanguages);
        }

        /** The vacancy's name in website addresses: its title in lower case, words joined by '-', and its number. */
        static String slug(String title, int number) {
            var words = java.text.Normalizer.normalize(title, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
            return (words.isEmpty() ? "vacancy" : words) + "-" + number;
        }

        /** The translatable fields of a vacancy in {@code lang}. */
        private static Map<String, Object> texts(String lang, Job job, Relation relation, City city, int variant, int descriptionVariant,
                                                 int hours, int team, int years, int employmentType, int months, int remote,
                                                 int holidays, boolean showEmployer, double salaryMin, double salaryMax, boolean hourly,
                                                 boolean gbp) {
            var title = job.title(lang);
            var company = showEmployer ? relation.name() : OUR_CLIENT.get(lang).get(0);
            var companyMid = showEmployer ? relation.name() : OUR_CLIENT.get(lang).get(1);
            var salary = SALARY_PHRASES.get(lang).get(hourly ? 1 : 0)
                    .replace("{from}", money(lang, salaryMin, hourly, gbp)).replace("{to}", money(lang, salaryMax, hourly, gbp));
            var contract = CONTRACTS.get(lang).get(employmentType - 1).replace("{months}", Integer.toString(months));
            var out = new LinkedHashMap<String, Object>();
            out.put("title", title);
            out.put("summary", SUMMARIES.get(lang).get(variant));
            out.put("description", DESCRIPTIONS.get(lang).get(descriptionVariant));
            out.put("requirements", REQUIREMENTS.get(lang).get(years == 0 ? 1 : 0));
            out.put("offer", OFFERS.get(lang).getFirst());
            out.replaceAll((field, text) -> ((String) text)
                    .replace("{title}", title)
                    .replace("{companyMid}", companyMid)
                    .replace("{company}", company)
                    .replace("{city}", city.name())
                    .replace("{hours}", Integer.toString(hours))
                    .replace("{team}", Integer.toString(team))
                    .replace("{years}", Integer.toString(years))
                    .replace("{education}", EDUCATION.get(lang).get(Math.min(job.education(), 5) - 1))
                    .replace("{languages}", WORK_LANGUAGES.get(city.country()).get(lang))
                    .replace("{salary}", salary)
                    .replace("{holidays}", Integer.toString(holidays))
                    .replace("{contract}", contract)
                    .replace("{remote}", REMOTE.get(lang).get(remote - 1))
                    .replace("..", ".")
                    .replaceAll("\\bque ([AEIOUÉÈÊaeiouéèê])", "qu'$1"));
            return out;
        }

        /** An amount as people write it in {@code lang}: €3,800 · € 3.800 · 3.800 € · 3 800 €. */
        static String money(String lang, double amount, boolean cents, boolean gbp) {
            var symbol = gbp ? "£" : "€";
            var grouping = lang.equals("en") ? ',' : lang.equals("fr") ? ' ' : '.';
            var decimal = lang.equals("en") ? '.' : ',';
            var whole = (long) Math.floor(amount);
            var digits = Long.toString(whole);
            var grouped = new StringBuilder();
            for (int i = 0; i < digits.length(); i++) {
                if (i > 0 && (digits.length() - i) % 3 == 0) {
                    grouped.append(grouping);
                }
                grouped.append(digits.charAt(i));
            }
            if (cents) {
                grouped.append(decimal).append(String.format(Locale.ROOT, "%02d", Math.round((amount - whole) * 100)));
            }
            return switch (lang) {
                case "en" -> symbol + grouped;
                case "nl" -> symbol + " " + grouped;
                default -> grouped + " " + symbol;
            };
        }

        // ---- people and places

        private Person person(String culture) {
            var names = CULTURES.get(culture);
            var roll = random.nextInt(100);
            var gender = roll < 49 ? "m" : roll < 98 ? "f" : "x";
            var first = pick(gender.equals("m") ? names.male() : gender.equals("f") ? names.female()
                    : chance(0.5) ? names.male() : names.female());
            var last = pick(names.last()).split("\\|", -1);
            return new Person(first, last[0], last[1], gender, culture);
        }

        private LinkedHashMap<String, Object> personValues(Person person) {
            var values = new LinkedHashMap<String, Object>();
            if (chance(0.06)) {
                values.put("title", switch (person.culture()) {
                    case "nl" -> pick(List.of("ir.", "mr.", "drs.", "dr."));
                    case "de" -> "Dr.";
                    case "fr" -> "Dr";
                    default -> "Dr";
                });
            }
            values.put("firstName", person.firstName());
            if (!person.infix().isEmpty()) {
                values.put("infix", person.infix());
            }
            values.put("lastName", person.lastName());
            var initials = Normalizer.normalize(person.firstName().substring(0, 1), Normalizer.Form.NFD).substring(0, 1) + ".";
            if (chance(0.3)) {
                initials += "ABCDEFGHJKLMNPRSTW".charAt(random.nextInt(18)) + ".";
            }
            values.put("initials", initials);
            values.put("gender", person.gender());
            return values;
        }

        private LinkedHashMap<String, Object> address(City city) {
            var street = pick(CULTURES.get(city.culture()).streets());
            var number = Integer.toString(1 + random.nextInt(180));
            var values = new LinkedHashMap<String, Object>();
            values.put("address", switch (city.culture()) {
                case "nl", "de" -> street + " " + number + (city.culture().equals("nl") && chance(0.1) ? "a" : "");
                default -> number + " " + street;
            });
            values.put("postcode", fill(city.postcode()));
            values.put("city", city.name());
            values.put("countryCode", city.country());
            return values;
        }

        private String unique(String local, String domain) {
            var address = local + "@" + domain;
            for (int n = 2; !emails.add(address); n++) {
                address = local + n + "@" + domain;
            }
            return address;
        }

        // ---- randomness

        /** The seed acting as the record's owner, or as itself for a record nobody owns. */
        private Caller as(Long owner) {
            return owner == null ? new Caller.Internal(tenantId, "demo data") : new Caller.AsUser(tenantId, owner);
        }

        private Long owner() {
            return users.isEmpty() ? null : users.get(random.nextInt(users.size()));
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private boolean chance(double probability) {
            return random.nextDouble() < probability;
        }

        private <T> T weighted(List<T> values, int... weights) {
            var total = 0;
            for (var weight : weights) {
                total += weight;
            }
            var roll = random.nextInt(total);
            for (int i = 0; i < weights.length; i++) {
                roll -= weights[i];
                if (roll < 0) {
                    return values.get(i);
                }
            }
            throw new IllegalStateException();
        }

        /** The pattern with each {@code #} a random digit, each {@code %} a random digit but 0 and each {@code @} a random capital. */
        private String fill(String pattern) {
            var out = new StringBuilder(pattern.length());
            for (char c : pattern.toCharArray()) {
                out.append(switch (c) {
                    case '#' -> (char) ('0' + random.nextInt(10));
                    case '%' -> (char) ('1' + random.nextInt(9));
                    case '@' -> "ABCDEGHJKLMNPRSTVWXZ".charAt(random.nextInt(20));
                    default -> c;
                });
            }
            return out.toString();
        }

        private static double roundTo(double value, double step) {
            return Math.round(value / step) * step;
        }

        private static void putIfNotNull(Map<String, Object> values, String key, Object value) {
            if (value != null) {
                values.put(key, value);
            }
        }
    }

    /** Lower-case letters and digits only: {@code "Müller-O'Brien"} → {@code "muellerobrien"}. */
    static String ascii(String text) {
        var replaced = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
                .replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue");
        var plain = Normalizer.normalize(replaced, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
