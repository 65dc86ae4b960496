//! The words emn-pub itself prints in a publication (cover labels,
//! contents, page numbers, figure and table labels, gap notices, the
//! disclaimer), in the publication's language: the EU's 24 official
//! languages and those of the EMN's observer countries (Norwegian,
//! Georgian, Ukrainian, Serbian, Montenegrin, Armenian, Macedonian; Moldova
//! writes Romanian). An unknown language gets English.

/// One language's words.
#[derive(Debug)]
pub struct Words {
    pub lang: &'static str,
    pub network: &'static str,
    pub national_contribution: &'static str,
    pub ncp: &'static str,
    pub status: &'static str,
    pub date: &'static str,
    pub template: &'static str,
    pub final_status: &'static str,
    pub draft_status: &'static str,
    pub contents: &'static str,
    pub page: &'static str,
    pub of: &'static str,
    /// The mark in the top margin of a draft.
    pub draft_mark: &'static str,
    pub figure: &'static str,
    pub table: &'static str,
    pub introduction: &'static str,
    pub additional: &'static str,
    /// "No answer received from", followed by the country code.
    pub no_answer: &'static str,
    pub optional_unanswered: &'static str,
    pub disclaimer: &'static str,
    /// The copyright line; `{year}` is replaced.
    pub copyright: &'static str,
}

impl Words {
    /// The copyright line of `year`.
    pub fn copyright(&self, year: i32) -> String {
        self.copyright.replace("{year}", &year.to_string())
    }

    /// A gap notice: no answer from `code`.
    pub fn no_answer_from(&self, code: &str) -> String {
        format!("{} {code}.", self.no_answer)
    }
}

/// The words of `lang` (an ISO 639 code, `cs`, `de-AT`), English when the
/// language is not one of the network's.
pub fn words(lang: &str) -> &'static Words {
    let code = crate::countries::primary_language(lang);
    let code = match code.as_str() {
        "nb" | "nn" => "no",
        "me" => "cnr",
        other => other,
    };
    WORDS.iter().find(|w| w.lang == code).unwrap_or(&WORDS[0])
}

/// The few words a web page adds to a publication's own: the skip link,
/// the labels that mark a gap or an editorial note in words (not only by
/// colour), and the notes' heading and back links.
#[derive(Debug)]
pub struct PageWords {
    pub lang: &'static str,
    pub skip: &'static str,
    pub missing: &'static str,
    pub editorial_note: &'static str,
    pub notes: &'static str,
    pub back: &'static str,
}

/// The page words of `lang`, English when the language is not one of the
/// network's (as [`words`]).
pub fn page_words(lang: &str) -> &'static PageWords {
    let code = words(lang).lang;
    PAGE_WORDS.iter().find(|w| w.lang == code).unwrap_or(&PAGE_WORDS[0])
}

macro_rules! page_words {
    ($($lang:literal => [$skip:literal, $missing:literal, $note:literal, $notes:literal, $back:literal]),* $(,)?) => {
        &[$(PageWords { lang: $lang, skip: $skip, missing: $missing, editorial_note: $note, notes: $notes, back: $back }),*]
    };
}

/// English first: the fallback.
static PAGE_WORDS: &[PageWords] = page_words![
    "en" => ["Skip to the content", "Missing", "Editorial note", "Notes", "Back to the text"],
    "cs" => ["Přejít na obsah", "Chybí", "Redakční poznámka", "Poznámky", "Zpět do textu"],
    "bg" => ["Към съдържанието", "Липсва", "Редакционна бележка", "Бележки", "Обратно към текста"],
    "da" => ["Gå til indholdet", "Mangler", "Redaktionel note", "Noter", "Tilbage til teksten"],
    "de" => ["Zum Inhalt springen", "Fehlt", "Redaktioneller Hinweis", "Anmerkungen", "Zurück zum Text"],
    "el" => ["Μετάβαση στο περιεχόμενο", "Λείπει", "Σημείωση σύνταξης", "Σημειώσεις", "Επιστροφή στο κείμενο"],
    "es" => ["Ir al contenido", "Falta", "Nota editorial", "Notas", "Volver al texto"],
    "et" => ["Mine sisu juurde", "Puudub", "Toimetuse märkus", "Märkused", "Tagasi teksti juurde"],
    "fi" => ["Siirry sisältöön", "Puuttuu", "Toimituksen huomautus", "Huomautukset", "Takaisin tekstiin"],
    "fr" => ["Aller au contenu", "Manquant", "Note de la rédaction", "Notes", "Retour au texte"],
    "ga" => ["Téigh chuig an ábhar", "Ar iarraidh", "Nóta eagarthóireachta", "Nótaí", "Ar ais chuig an téacs"],
    "hr" => ["Prijeđi na sadržaj", "Nedostaje", "Urednička napomena", "Bilješke", "Natrag na tekst"],
    "hu" => ["Ugrás a tartalomhoz", "Hiányzik", "Szerkesztői megjegyzés", "Jegyzetek", "Vissza a szöveghez"],
    "it" => ["Vai al contenuto", "Mancante", "Nota redazionale", "Note", "Torna al testo"],
    "lt" => ["Pereiti prie turinio", "Trūksta", "Redakcijos pastaba", "Pastabos", "Grįžti į tekstą"],
    "lv" => ["Pāriet uz saturu", "Trūkst", "Redakcijas piezīme", "Piezīmes", "Atpakaļ uz tekstu"],
    "mt" => ["Mur għall-kontenut", "Nieqes", "Nota editorjali", "Noti", "Lura għat-test"],
    "nl" => ["Naar de inhoud", "Ontbreekt", "Redactionele opmerking", "Noten", "Terug naar de tekst"],
    "pl" => ["Przejdź do treści", "Brak", "Uwaga redakcyjna", "Przypisy", "Powrót do tekstu"],
    "pt" => ["Ir para o conteúdo", "Em falta", "Nota editorial", "Notas", "Voltar ao texto"],
    "ro" => ["Salt la conținut", "Lipsește", "Notă editorială", "Note", "Înapoi la text"],
    "sk" => ["Prejsť na obsah", "Chýba", "Redakčná poznámka", "Poznámky", "Späť na text"],
    "sl" => ["Skoči na vsebino", "Manjka", "Uredniška opomba", "Opombe", "Nazaj na besedilo"],
    "sv" => ["Till innehållet", "Saknas", "Redaktionell anmärkning", "Noter", "Tillbaka till texten"],
    "no" => ["Gå til innholdet", "Mangler", "Redaksjonell merknad", "Noter", "Tilbake til teksten"],
    "ka" => ["შინაარსზე გადასვლა", "აკლია", "რედაქციის შენიშვნა", "შენიშვნები", "ტექსტზე დაბრუნება"],
    "uk" => ["Перейти до змісту", "Бракує", "Редакційна примітка", "Примітки", "Повернутися до тексту"],
    "sr" => ["Pređi na sadržaj", "Nedostaje", "Urednička napomena", "Napomene", "Nazad na tekst"],
    "cnr" => ["Pređi na sadržaj", "Nedostaje", "Urednička napomena", "Napomene", "Nazad na tekst"],
    "hy" => ["Անցնել բովանդակությանը", "Բացակայում է", "Խմբագրական նշում", "Ծանոթագրություններ", "Վերադառնալ տեքստին"],
    "mk" => ["Оди на содржината", "Недостасува", "Уредничка белешка", "Белешки", "Назад кон текстот"],
];

macro_rules! words {
    ($($lang:literal => [$network:literal, $nc:literal, $ncp:literal, $status:literal, $date:literal, $template:literal,
        $final:literal, $draft:literal, $contents:literal, $page:literal, $of:literal, $mark:literal, $figure:literal,
        $table:literal, $intro:literal, $additional:literal, $no_answer:literal, $optional:literal,
        $disclaimer:literal, $copyright:literal]),* $(,)?) => {
        &[$(Words {
            lang: $lang, network: $network, national_contribution: $nc, ncp: $ncp, status: $status, date: $date,
            template: $template, final_status: $final, draft_status: $draft, contents: $contents, page: $page,
            of: $of, draft_mark: $mark, figure: $figure, table: $table, introduction: $intro,
            additional: $additional, no_answer: $no_answer, optional_unanswered: $optional,
            disclaimer: $disclaimer, copyright: $copyright,
        }),*]
    };
}

/// English first: the fallback.
static WORDS: &[Words] = words![
    "en" => ["European Migration Network", "National Contribution", "National Contact Point", "Status", "Date", "Template",
        "Final", "Draft", "Contents", "Page", "of", "DRAFT", "Figure", "Table", "Introduction", "Additional information",
        "No answer received from", "Not answered (optional question).",
        "This publication was produced by the European Migration Network (EMN) from the contributions of its National Contact Points. The views it expresses are the authors' and do not necessarily reflect those of the European Commission, the EMN Service Provider or the EMN National Contact Points, none of whom is responsible for any use made of the information it contains.",
        "© European Union, {year}. Reproduction is authorised provided the source is acknowledged."],
    "cs" => ["Evropská migrační síť", "Národní příspěvek", "Národní kontaktní místo", "Stav", "Datum", "Šablona",
        "Konečná verze", "Návrh", "Obsah", "Strana", "z", "NÁVRH", "Obrázek", "Tabulka", "Úvod", "Další informace",
        "Odpověď nebyla obdržena:", "Bez odpovědi (nepovinná otázka).",
        "Tuto publikaci vypracovala Evropská migrační síť (EMN) z příspěvků národních kontaktních míst. Názory v ní vyjádřené jsou názory autorů a nemusí odrážet stanovisko Evropské komise, poskytovatele služeb EMN ani národních kontaktních míst EMN, kteří za použití obsažených informací neodpovídají.",
        "© Evropská unie, {year}. Šíření je povoleno pod podmínkou uvedení zdroje."],
    "bg" => ["Европейска мрежа за миграцията", "Национален принос", "Национално звено за контакт", "Статус", "Дата", "Образец",
        "Окончателен", "Проект", "Съдържание", "Страница", "от", "ПРОЕКТ", "Фигура", "Таблица", "Въведение", "Допълнителна информация",
        "Не е получен отговор от", "Без отговор (незадължителен въпрос).",
        "Настоящата публикация е изготвена от Европейската мрежа за миграцията (ЕММ) въз основа на приноса на нейните национални звена за контакт. Изразените в нея мнения са на авторите и не отразяват непременно позицията на Европейската комисия, доставчика на услуги на ЕММ или националните звена за контакт на ЕММ.",
        "© Европейски съюз, {year}. Възпроизвеждането е разрешено при позоваване на източника."],
    "da" => ["Det Europæiske Migrationsnetværk", "Nationalt bidrag", "Nationalt kontaktpunkt", "Status", "Dato", "Skabelon",
        "Endelig", "Udkast", "Indhold", "Side", "af", "UDKAST", "Figur", "Tabel", "Indledning", "Yderligere oplysninger",
        "Intet svar modtaget fra", "Ikke besvaret (valgfrit spørgsmål).",
        "Denne publikation er udarbejdet af Det Europæiske Migrationsnetværk (EMN) på grundlag af bidrag fra dets nationale kontaktpunkter. De synspunkter, der udtrykkes, er forfatternes og afspejler ikke nødvendigvis Europa-Kommissionens, EMN's tjenesteyders eller EMN's nationale kontaktpunkters synspunkter.",
        "© Den Europæiske Union, {year}. Gengivelse tilladt med kildeangivelse."],
    "de" => ["Europäisches Migrationsnetzwerk", "Nationaler Beitrag", "Nationale Kontaktstelle", "Status", "Datum", "Vorlage",
        "Endfassung", "Entwurf", "Inhalt", "Seite", "von", "ENTWURF", "Abbildung", "Tabelle", "Einleitung", "Weitere Angaben",
        "Keine Antwort erhalten von", "Nicht beantwortet (freiwillige Frage).",
        "Diese Veröffentlichung wurde vom Europäischen Migrationsnetzwerk (EMN) auf der Grundlage der Beiträge seiner nationalen Kontaktstellen erstellt. Die darin geäußerten Ansichten sind die der Verfasser und geben nicht unbedingt die Auffassung der Europäischen Kommission, des EMN-Dienstleisters oder der nationalen EMN-Kontaktstellen wieder.",
        "© Europäische Union, {year}. Nachdruck mit Quellenangabe gestattet."],
    "el" => ["Ευρωπαϊκό Δίκτυο Μετανάστευσης", "Εθνική συμβολή", "Εθνικό σημείο επαφής", "Κατάσταση", "Ημερομηνία", "Υπόδειγμα",
        "Τελικό", "Σχέδιο", "Περιεχόμενα", "Σελίδα", "από", "ΣΧΕΔΙΟ", "Σχήμα", "Πίνακας", "Εισαγωγή", "Πρόσθετες πληροφορίες",
        "Δεν ελήφθη απάντηση από", "Χωρίς απάντηση (προαιρετική ερώτηση).",
        "Η παρούσα δημοσίευση εκπονήθηκε από το Ευρωπαϊκό Δίκτυο Μετανάστευσης (ΕΔΜ) με βάση τις συμβολές των εθνικών σημείων επαφής του. Οι απόψεις που εκφράζονται είναι των συντακτών και δεν αντανακλούν απαραίτητα τις απόψεις της Ευρωπαϊκής Επιτροπής, του παρόχου υπηρεσιών του ΕΔΜ ή των εθνικών σημείων επαφής του ΕΔΜ.",
        "© Ευρωπαϊκή Ένωση, {year}. Επιτρέπεται η αναπαραγωγή με αναφορά της πηγής."],
    "es" => ["Red Europea de Migración", "Contribución nacional", "Punto de contacto nacional", "Estado", "Fecha", "Plantilla",
        "Definitivo", "Borrador", "Índice", "Página", "de", "BORRADOR", "Figura", "Cuadro", "Introducción", "Información adicional",
        "No se ha recibido respuesta de", "Sin respuesta (pregunta opcional).",
        "Esta publicación ha sido elaborada por la Red Europea de Migración (REM) a partir de las contribuciones de sus puntos de contacto nacionales. Las opiniones expresadas son las de los autores y no reflejan necesariamente las de la Comisión Europea, el proveedor de servicios de la REM o los puntos de contacto nacionales de la REM.",
        "© Unión Europea, {year}. Reproducción autorizada citando la fuente."],
    "et" => ["Euroopa Rändevõrgustik", "Riiklik panus", "Riiklik kontaktpunkt", "Olek", "Kuupäev", "Vorm",
        "Lõplik", "Kavand", "Sisukord", "Lehekülg", "/", "KAVAND", "Joonis", "Tabel", "Sissejuhatus", "Lisateave",
        "Vastust ei saadud riigilt", "Vastamata (vabatahtlik küsimus).",
        "Selle väljaande koostas Euroopa Rändevõrgustik (ERV) oma riiklike kontaktpunktide panuse põhjal. Väljendatud seisukohad on autorite omad ega pruugi kajastada Euroopa Komisjoni, ERV teenuseosutaja ega ERV riiklike kontaktpunktide seisukohti.",
        "© Euroopa Liit, {year}. Reprodutseerimine on lubatud, kui viidatakse allikale."],
    "fi" => ["Euroopan muuttoliikeverkosto", "Kansallinen raportti", "Kansallinen yhteyspiste", "Tila", "Päivämäärä", "Malli",
        "Lopullinen", "Luonnos", "Sisällys", "Sivu", "/", "LUONNOS", "Kuva", "Taulukko", "Johdanto", "Lisätietoja",
        "Vastausta ei saatu:", "Ei vastattu (vapaaehtoinen kysymys).",
        "Tämän julkaisun on laatinut Euroopan muuttoliikeverkosto (EMN) kansallisten yhteyspisteidensä raporttien pohjalta. Siinä esitetyt näkemykset ovat tekijöiden omia eivätkä välttämättä vastaa Euroopan komission, EMN:n palveluntarjoajan tai EMN:n kansallisten yhteyspisteiden näkemyksiä.",
        "© Euroopan unioni, {year}. Jäljentäminen sallitaan, kunhan lähde mainitaan."],
    "fr" => ["Réseau européen des migrations", "Contribution nationale", "Point de contact national", "Statut", "Date", "Modèle",
        "Définitive", "Projet", "Table des matières", "Page", "sur", "PROJET", "Figure", "Tableau", "Introduction", "Informations complémentaires",
        "Aucune réponse reçue de", "Sans réponse (question facultative).",
        "La présente publication a été réalisée par le Réseau européen des migrations (REM) à partir des contributions de ses points de contact nationaux. Les opinions exprimées sont celles des auteurs et ne reflètent pas nécessairement celles de la Commission européenne, du prestataire de services du REM ou des points de contact nationaux du REM.",
        "© Union européenne, {year}. Reproduction autorisée, moyennant mention de la source."],
    "ga" => ["An Líonra Eorpach Imirce", "Ionchur náisiúnta", "Pointe teagmhála náisiúnta", "Stádas", "Dáta", "Teimpléad",
        "Críochnaithe", "Dréacht", "Clár ábhair", "Leathanach", "as", "DRÉACHT", "Fíor", "Tábla", "Réamhrá", "Faisnéis bhreise",
        "Níor fuarthas freagra ó", "Gan freagra (ceist roghnach).",
        "Is é an Líonra Eorpach Imirce (LEI) a d'ullmhaigh an foilseachán seo ó ionchuir a phointí teagmhála náisiúnta. Is iad tuairimí na n-údar na tuairimí a chuirtear in iúl ann agus ní gá gur léiriú iad ar thuairimí an Choimisiúin Eorpaigh, sholáthraí seirbhíse an LEI ná phointí teagmhála náisiúnta an LEI.",
        "© An tAontas Eorpach, {year}. Údaraítear atáirgeadh ach an fhoinse a admháil."],
    "hr" => ["Europska migracijska mreža", "Nacionalni doprinos", "Nacionalna kontaktna točka", "Status", "Datum", "Predložak",
        "Konačno", "Nacrt", "Sadržaj", "Stranica", "od", "NACRT", "Slika", "Tablica", "Uvod", "Dodatne informacije",
        "Odgovor nije primljen od", "Bez odgovora (neobvezno pitanje).",
        "Ovu je publikaciju izradila Europska migracijska mreža (EMM) na temelju doprinosa svojih nacionalnih kontaktnih točaka. Izražena mišljenja mišljenja su autora i ne odražavaju nužno stajališta Europske komisije, pružatelja usluga EMM-a ni nacionalnih kontaktnih točaka EMM-a.",
        "© Europska unija, {year}. Umnožavanje je dopušteno uz navođenje izvora."],
    "hu" => ["Európai Migrációs Hálózat", "Nemzeti hozzájárulás", "Nemzeti kapcsolattartó pont", "Állapot", "Dátum", "Sablon",
        "Végleges", "Tervezet", "Tartalom", "Oldal", "/", "TERVEZET", "Ábra", "Táblázat", "Bevezetés", "További információk",
        "Nem érkezett válasz:", "Nincs válasz (nem kötelező kérdés).",
        "Ezt a kiadványt az Európai Migrációs Hálózat (EMH) készítette nemzeti kapcsolattartó pontjainak hozzájárulásai alapján. A kifejtett nézetek a szerzők nézetei, és nem feltétlenül tükrözik az Európai Bizottság, az EMH szolgáltatója vagy az EMH nemzeti kapcsolattartó pontjainak álláspontját.",
        "© Európai Unió, {year}. A forrás megjelölésével a másolás engedélyezett."],
    "it" => ["Rete europea sulle migrazioni", "Contributo nazionale", "Punto di contatto nazionale", "Stato", "Data", "Modello",
        "Definitivo", "Bozza", "Indice", "Pagina", "di", "BOZZA", "Figura", "Tabella", "Introduzione", "Informazioni supplementari",
        "Nessuna risposta ricevuta da", "Senza risposta (domanda facoltativa).",
        "La presente pubblicazione è stata realizzata dalla Rete europea sulle migrazioni (EMN) sulla base dei contributi dei suoi punti di contatto nazionali. Le opinioni espresse sono quelle degli autori e non riflettono necessariamente quelle della Commissione europea, del fornitore di servizi dell'EMN o dei punti di contatto nazionali dell'EMN.",
        "© Unione europea, {year}. Riproduzione autorizzata con citazione della fonte."],
    "lt" => ["Europos migracijos tinklas", "Nacionalinis indėlis", "Nacionalinis kontaktinis centras", "Būsena", "Data", "Šablonas",
        "Galutinis", "Projektas", "Turinys", "Puslapis", "iš", "PROJEKTAS", "Paveikslas", "Lentelė", "Įvadas", "Papildoma informacija",
        "Negautas atsakymas iš", "Neatsakyta (neprivalomas klausimas).",
        "Šį leidinį parengė Europos migracijos tinklas (EMT), remdamasis savo nacionalinių kontaktinių centrų indėliu. Išreikštos nuomonės yra autorių ir nebūtinai atspindi Europos Komisijos, EMT paslaugų teikėjo ar EMT nacionalinių kontaktinių centrų nuomonę.",
        "© Europos Sąjunga, {year}. Atgaminti leidžiama nurodžius šaltinį."],
    "lv" => ["Eiropas Migrācijas tīkls", "Valsts ieguldījums", "Valsts kontaktpunkts", "Statuss", "Datums", "Veidne",
        "Galīgā redakcija", "Projekts", "Saturs", "Lappuse", "no", "PROJEKTS", "Attēls", "Tabula", "Ievads", "Papildu informācija",
        "Nav saņemta atbilde no", "Nav atbildēts (neobligāts jautājums).",
        "Šo publikāciju sagatavoja Eiropas Migrācijas tīkls (EMT), pamatojoties uz tā valstu kontaktpunktu ieguldījumu. Paustie viedokļi ir autoru viedokļi un ne vienmēr atspoguļo Eiropas Komisijas, EMT pakalpojumu sniedzēja vai EMT valstu kontaktpunktu viedokli.",
        "© Eiropas Savienība, {year}. Pavairošana atļauta, norādot avotu."],
    "mt" => ["In-Netwerk Ewropew dwar il-Migrazzjoni", "Kontribut nazzjonali", "Punt ta' kuntatt nazzjonali", "Status", "Data", "Mudell",
        "Finali", "Abbozz", "Werrej", "Paġna", "minn", "ABBOZZ", "Figura", "Tabella", "Introduzzjoni", "Informazzjoni addizzjonali",
        "Ma waslet l-ebda tweġiba minn", "Mhux imwieġeb (mistoqsija fakultattiva).",
        "Din il-pubblikazzjoni tħejjiet min-Netwerk Ewropew dwar il-Migrazzjoni (NEM) mill-kontributi tal-punti ta' kuntatt nazzjonali tiegħu. Il-fehmiet espressi huma dawk tal-awturi u mhux neċessarjament jirriflettu dawk tal-Kummissjoni Ewropea, tal-fornitur tas-servizzi tan-NEM jew tal-punti ta' kuntatt nazzjonali tan-NEM.",
        "© Unjoni Ewropea, {year}. Ir-riproduzzjoni hija awtorizzata sakemm jissemma s-sors."],
    "nl" => ["Europees Migratienetwerk", "Nationale bijdrage", "Nationaal contactpunt", "Status", "Datum", "Sjabloon",
        "Definitief", "Ontwerp", "Inhoud", "Pagina", "van", "ONTWERP", "Figuur", "Tabel", "Inleiding", "Aanvullende informatie",
        "Geen antwoord ontvangen van", "Niet beantwoord (facultatieve vraag).",
        "Deze publicatie is opgesteld door het Europees Migratienetwerk (EMN) op basis van de bijdragen van zijn nationale contactpunten. De geuite standpunten zijn die van de auteurs en komen niet noodzakelijk overeen met die van de Europese Commissie, de dienstverlener van het EMN of de nationale contactpunten van het EMN.",
        "© Europese Unie, {year}. Overname met bronvermelding toegestaan."],
    "pl" => ["Europejska Sieć Migracyjna", "Wkład krajowy", "Krajowy punkt kontaktowy", "Status", "Data", "Szablon",
        "Ostateczna", "Projekt", "Spis treści", "Strona", "z", "PROJEKT", "Rysunek", "Tabela", "Wprowadzenie", "Informacje dodatkowe",
        "Nie otrzymano odpowiedzi od", "Brak odpowiedzi (pytanie nieobowiązkowe).",
        "Niniejsza publikacja została przygotowana przez Europejską Sieć Migracyjną (ESM) na podstawie wkładów jej krajowych punktów kontaktowych. Wyrażone w niej poglądy są poglądami autorów i niekoniecznie odzwierciedlają stanowisko Komisji Europejskiej, usługodawcy ESM ani krajowych punktów kontaktowych ESM.",
        "© Unia Europejska, {year}. Powielanie dozwolone pod warunkiem podania źródła."],
    "pt" => ["Rede Europeia das Migrações", "Contributo nacional", "Ponto de contacto nacional", "Estado", "Data", "Modelo",
        "Final", "Projeto", "Índice", "Página", "de", "PROJETO", "Figura", "Quadro", "Introdução", "Informações adicionais",
        "Não foi recebida resposta de", "Sem resposta (pergunta facultativa).",
        "A presente publicação foi elaborada pela Rede Europeia das Migrações (REM) a partir dos contributos dos seus pontos de contacto nacionais. As opiniões expressas são as dos autores e não refletem necessariamente as da Comissão Europeia, do prestador de serviços da REM ou dos pontos de contacto nacionais da REM.",
        "© União Europeia, {year}. Reprodução autorizada mediante indicação da fonte."],
    "ro" => ["Rețeaua Europeană de Migrație", "Contribuție națională", "Punct național de contact", "Stare", "Data", "Model",
        "Final", "Proiect", "Cuprins", "Pagina", "din", "PROIECT", "Figura", "Tabelul", "Introducere", "Informații suplimentare",
        "Nu s-a primit niciun răspuns de la", "Fără răspuns (întrebare facultativă).",
        "Prezenta publicație a fost elaborată de Rețeaua Europeană de Migrație (REM) pe baza contribuțiilor punctelor sale naționale de contact. Opiniile exprimate aparțin autorilor și nu reflectă neapărat pozițiile Comisiei Europene, ale furnizorului de servicii al REM sau ale punctelor naționale de contact ale REM.",
        "© Uniunea Europeană, {year}. Reproducerea este autorizată cu condiția menționării sursei."],
    "sk" => ["Európska migračná sieť", "Národný príspevok", "Národné kontaktné miesto", "Stav", "Dátum", "Vzor",
        "Konečná verzia", "Návrh", "Obsah", "Strana", "z", "NÁVRH", "Obrázok", "Tabuľka", "Úvod", "Ďalšie informácie",
        "Odpoveď nebola doručená od", "Bez odpovede (nepovinná otázka).",
        "Túto publikáciu vypracovala Európska migračná sieť (EMN) na základe príspevkov svojich národných kontaktných miest. Vyjadrené názory sú názormi autorov a nemusia odrážať stanovisko Európskej komisie, poskytovateľa služieb EMN ani národných kontaktných miest EMN.",
        "© Európska únia, {year}. Reprodukcia je povolená za predpokladu uvedenia zdroja."],
    "sl" => ["Evropska migracijska mreža", "Nacionalni prispevek", "Nacionalna kontaktna točka", "Stanje", "Datum", "Predloga",
        "Končno", "Osnutek", "Kazalo", "Stran", "od", "OSNUTEK", "Slika", "Preglednica", "Uvod", "Dodatne informacije",
        "Odgovor ni bil prejet od", "Brez odgovora (neobvezno vprašanje).",
        "To publikacijo je pripravila Evropska migracijska mreža (EMM) na podlagi prispevkov svojih nacionalnih kontaktnih točk. Izražena mnenja so mnenja avtorjev in ne odražajo nujno stališč Evropske komisije, ponudnika storitev EMM ali nacionalnih kontaktnih točk EMM.",
        "© Evropska unija, {year}. Razmnoževanje je dovoljeno ob navedbi vira."],
    "sv" => ["Europeiska migrationsnätverket", "Nationellt bidrag", "Nationell kontaktpunkt", "Status", "Datum", "Mall",
        "Slutlig", "Utkast", "Innehåll", "Sida", "av", "UTKAST", "Figur", "Tabell", "Inledning", "Ytterligare information",
        "Inget svar har kommit från", "Inte besvarad (frivillig fråga).",
        "Denna publikation har tagits fram av Europeiska migrationsnätverket (EMN) utifrån bidrag från dess nationella kontaktpunkter. De åsikter som uttrycks är författarnas och återspeglar inte nödvändigtvis Europeiska kommissionens, EMN:s tjänsteleverantörs eller EMN:s nationella kontaktpunkters åsikter.",
        "© Europeiska unionen, {year}. Återgivning är tillåten med angivande av källan."],
    "no" => ["Det europeiske migrasjonsnettverket", "Nasjonalt bidrag", "Nasjonalt kontaktpunkt", "Status", "Dato", "Mal",
        "Endelig", "Utkast", "Innhold", "Side", "av", "UTKAST", "Figur", "Tabell", "Innledning", "Tilleggsopplysninger",
        "Intet svar mottatt fra", "Ikke besvart (valgfritt spørsmål).",
        "Denne publikasjonen er utarbeidet av Det europeiske migrasjonsnettverket (EMN) på grunnlag av bidrag fra de nasjonale kontaktpunktene. Synspunktene som uttrykkes, er forfatternes og gjenspeiler ikke nødvendigvis synspunktene til Europakommisjonen, EMNs tjenesteleverandør eller EMNs nasjonale kontaktpunkter.",
        "© Den europeiske union, {year}. Gjengivelse er tillatt med kildehenvisning."],
    "ka" => ["ევროპის მიგრაციის ქსელი", "ეროვნული წვლილი", "ეროვნული საკონტაქტო პუნქტი", "სტატუსი", "თარიღი", "შაბლონი",
        "საბოლოო", "პროექტი", "სარჩევი", "გვერდი", "/", "პროექტი", "სურათი", "ცხრილი", "შესავალი", "დამატებითი ინფორმაცია",
        "პასუხი არ მიგვიღია:", "პასუხი არ არის (არასავალდებულო კითხვა).",
        "ეს პუბლიკაცია მოამზადა ევროპის მიგრაციის ქსელმა (EMN) მისი ეროვნული საკონტაქტო პუნქტების წვლილის საფუძველზე. გამოთქმული მოსაზრებები ავტორებს ეკუთვნით და შესაძლოა არ ასახავდეს ევროკომისიის, EMN-ის მომსახურების მიმწოდებლის ან EMN-ის ეროვნული საკონტაქტო პუნქტების პოზიციას.",
        "© ევროკავშირი, {year}. გამრავლება ნებადართულია წყაროს მითითებით."],
    "uk" => ["Європейська міграційна мережа", "Національний внесок", "Національний контактний пункт", "Статус", "Дата", "Шаблон",
        "Остаточна", "Проєкт", "Зміст", "Сторінка", "з", "ПРОЄКТ", "Рисунок", "Таблиця", "Вступ", "Додаткова інформація",
        "Відповіді не отримано від", "Без відповіді (необов'язкове запитання).",
        "Цю публікацію підготувала Європейська міграційна мережа (ЄММ) на основі внесків її національних контактних пунктів. Висловлені погляди належать авторам і не обов'язково відображають позицію Європейської комісії, постачальника послуг ЄММ чи національних контактних пунктів ЄММ.",
        "© Європейський Союз, {year}. Відтворення дозволено за умови посилання на джерело."],
    "sr" => ["Evropska migraciona mreža", "Nacionalni doprinos", "Nacionalna kontakt tačka", "Status", "Datum", "Šablon",
        "Konačno", "Nacrt", "Sadržaj", "Strana", "od", "NACRT", "Slika", "Tabela", "Uvod", "Dodatne informacije",
        "Odgovor nije primljen od", "Bez odgovora (neobavezno pitanje).",
        "Ovu publikaciju je izradila Evropska migraciona mreža (EMM) na osnovu doprinosa njenih nacionalnih kontakt tačaka. Izneti stavovi su stavovi autora i ne odražavaju nužno stavove Evropske komisije, pružaoca usluga EMM ili nacionalnih kontakt tačaka EMM.",
        "© Evropska unija, {year}. Umnožavanje je dozvoljeno uz navođenje izvora."],
    "cnr" => ["Evropska migraciona mreža", "Nacionalni doprinos", "Nacionalna kontakt tačka", "Status", "Datum", "Obrazac",
        "Konačno", "Nacrt", "Sadržaj", "Strana", "od", "NACRT", "Slika", "Tabela", "Uvod", "Dodatne informacije",
        "Odgovor nije primljen od", "Bez odgovora (neobavezno pitanje).",
        "Ovu publikaciju je izradila Evropska migraciona mreža (EMM) na osnovu doprinosa njenih nacionalnih kontakt tačaka. Izneseni stavovi su stavovi autora i ne odražavaju nužno stavove Evropske komisije, pružaoca usluga EMM ili nacionalnih kontakt tačaka EMM.",
        "© Evropska unija, {year}. Umnožavanje je dozvoljeno uz navođenje izvora."],
    "hy" => ["Եվրոպական միգրացիոն ցանց", "Ազգային ներդրում", "Ազգային կոնտակտային կետ", "Կարգավիճակ", "Ամսաթիվ", "Ձևանմուշ",
        "Վերջնական", "Նախագիծ", "Բովանդակություն", "Էջ", "/", "ՆԱԽԱԳԻԾ", "Նկար", "Աղյուսակ", "Ներածություն", "Լրացուցիչ տեղեկություններ",
        "Պատասխան չի ստացվել՝", "Անպատասխան (ոչ պարտադիր հարց).",
        "Այս հրատարակությունը պատրաստել է Եվրոպական միգրացիոն ցանցը (EMN)՝ իր ազգային կոնտակտային կետերի ներդրումների հիման վրա։ Արտահայտված տեսակետները հեղինակներինն են և պարտադիր չէ, որ արտացոլեն Եվրոպական հանձնաժողովի, EMN-ի ծառայություններ մատուցողի կամ EMN-ի ազգային կոնտակտային կետերի դիրքորոշումը։",
        "© Եվրոպական միություն, {year}. Վերարտադրումը թույլատրվում է՝ աղբյուրի հղումով։"],
    "mk" => ["Европска мрежа за миграции", "Национален придонес", "Национална контакт-точка", "Статус", "Датум", "Образец",
        "Конечна", "Нацрт", "Содржина", "Страница", "од", "НАЦРТ", "Слика", "Табела", "Вовед", "Дополнителни информации",
        "Не е добиен одговор од", "Без одговор (незадолжително прашање).",
        "Оваа публикација ја изготви Европската мрежа за миграции (ЕММ) врз основа на придонесите на нејзините национални контакт-точки. Изразените ставови се ставови на авторите и не ги одразуваат нужно ставовите на Европската комисија, давателот на услуги на ЕММ или националните контакт-точки на ЕММ.",
        "© Европска унија, {year}. Репродукцијата е дозволена со наведување на изворот."],
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `lang` has words of its own (not English as a fallback).
    fn has_words(lang: &str) -> bool {
        let code = crate::countries::primary_language(lang);
        words(lang).lang == code || matches!(code.as_str(), "nb" | "nn" | "me")
    }

    /// The EU's 24 official languages and the observers' (Moldova writes Romanian).
    const NETWORK_LANGUAGES: &[&str] = &[
        "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl",
        "pl", "pt", "ro", "sk", "sl", "sv", "no", "nb", "ka", "uk", "sr", "cnr", "hy", "mk",
    ];

    #[test]
    fn every_language_of_the_network_has_its_own_words() {
        for lang in NETWORK_LANGUAGES {
            let words = words(lang);
            assert!(has_words(lang), "{lang}");
            if *lang != "en" {
                for english in [
                    "National Contribution",
                    "National Contact Point",
                    "Additional information",
                    "Contents",
                    "European Migration Network",
                ] {
                    let all = format!(
                        "{} {} {} {} {}",
                        words.national_contribution, words.ncp, words.additional, words.contents, words.network
                    );
                    assert!(!all.contains(english), "{lang}: {english}");
                }
            }
            assert!(words.copyright(2026).contains("2026"), "{lang}");
        }
        for lang in NETWORK_LANGUAGES.iter().filter(|l| **l != "en") {
            let page = page_words(lang);
            assert_ne!(page.lang, "en", "{lang} has its page words");
            assert!(!format!("{} {} {}", page.skip, page.missing, page.notes).contains("Skip"), "{lang}");
        }
        assert_eq!(words("de-AT").lang, "de");
        assert_eq!(words("zh").lang, "en");
        assert!(!has_words("zh"));
    }
}
