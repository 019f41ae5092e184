package io.dossier.api.ows;

import io.dossier.core.schema.RecordType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How OTYS shows a vacancy's texts and extra fields on websites. Its text fields
 * ({@code VacancyTextFieldService.getList}) have an id, an internal name ({@code functieo}) and a
 * wire name ({@code textField_description}) that a vacancy's detail answers as
 * {@code {"title":…,"text":…}}; here they are Dossier's translatable vacancy texts under OTYS's
 * names, with headings per content language. Extra fields are the vacancy's {@code extraInfoN}
 * fields, numbered N.
 */
final class OwsVacancyTexts {

    /** One text field: OTYS's id, internal and wire names, the vacancy field that holds it, and its heading per language. */
    record TextField(int uid, String field, String owsName, String vacancyField, Map<String, String> titles) {
    }

    static final List<TextField> TEXT_FIELDS = List.of(
            new TextField(1, "chapo", "textField_summary", "summary",
                    Map.of("en", "Summary", "nl", "Samenvatting", "de", "Zusammenfassung", "fr", "Résumé")),
            new TextField(2, "functieo", "textField_description", "description",
                    Map.of("en", "Job description", "nl", "Functieomschrijving", "de", "Stellenbeschreibung", "fr", "Description du poste")),
            new TextField(3, "functiee", "textField_requirements", "requirements",
                    Map.of("en", "Requirements", "nl", "Functie-eisen", "de", "Anforderungen", "fr", "Profil recherché")),
            new TextField(4, "sal_o", "textField_salary", "offer",
                    Map.of("en", "What we offer", "nl", "Wat wij bieden", "de", "Wir bieten", "fr", "Ce que nous offrons")));

    private static final Pattern EXTRA = Pattern.compile("extraInfo([1-9][0-9]{0,2})");

    private OwsVacancyTexts() {
    }

    /** VacancyTextFieldService.getList: the text fields the vacancy definition holds, all published. */
    static List<Map<String, Object>> textFields(RecordType vacancy, String language) {
        var out = new ArrayList<Map<String, Object>>();
        for (var text : TEXT_FIELDS) {
            if (vacancy.field(text.vacancyField()).isEmpty()) {
                continue;
            }
            var item = new LinkedHashMap<String, Object>();
            item.put("uid", text.uid());
            item.put("name", title(text, language));
            item.put("field", text.field());
            item.put("published", true);
            out.add(item);
        }
        return out;
    }

    /** VacancyService.getExtraFieldsList: the vacancy's extraInfoN fields. */
    static List<Map<String, Object>> extraFields(RecordType vacancy) {
        var out = new ArrayList<Map<String, Object>>();
        for (var field : vacancy.fields()) {
            var matcher = EXTRA.matcher(field.path());
            if (matcher.matches()) {
                var item = new LinkedHashMap<String, Object>();
                item.put("fieldnum", Integer.parseInt(matcher.group(1)));
                item.put("name", "Extra field " + matcher.group(1));
                item.put("fieldName", field.path());
                out.add(item);
            }
        }
        return out;
    }

    /** The fields to read for {@code what}: each text field asked for by its wire name becomes the vacancy field holding it. */
    static Set<String> fieldsToRead(Set<String> what) {
        var out = new LinkedHashSet<String>();
        for (var path : what) {
            var text = byOwsName(path);
            out.add(text == null ? path : text.vacancyField());
        }
        return out;
    }

    /** Adds each text field {@code what} asked for as {@code {"title","text"}}, and drops vacancy fields only read for them. */
    static Map<String, Object> answer(Map<String, Object> detail, Set<String> what, String language) {
        var out = new LinkedHashMap<String, Object>(detail);
        for (var path : what) {
            var text = byOwsName(path);
            if (text != null) {
                var value = new LinkedHashMap<String, Object>();
                value.put("title", title(text, language));
                value.put("text", detail.get(text.vacancyField()));
                out.put(text.owsName(), value);
                if (!what.contains(text.vacancyField())) {
                    out.remove(text.vacancyField());
                }
            }
        }
        return out;
    }

    private static TextField byOwsName(String path) {
        return TEXT_FIELDS.stream().filter(t -> t.owsName().equals(path)).findFirst().orElse(null);
    }

    private static String title(TextField text, String language) {
        return text.titles().getOrDefault(language, text.titles().get("en"));
    }
}
