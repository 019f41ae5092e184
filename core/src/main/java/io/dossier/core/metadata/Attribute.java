package io.dossier.core.metadata;

import java.util.List;
import java.util.Map;

/**
 * One attribute of a template or attribute set.
 *
 * @param preset           whether values must be one of {@code options} (a preset editor) rather than free
 * @param options          the allowed values of a preset attribute, in display order
 * @param readonly         whether users see but do not change the value
 * @param parent           for a multi-value attribute, the attribute it belongs to; else null
 * @param setId            the attribute set the attribute was taken from; else null
 * @param validation       a validation script, kept as given; else null
 * @param initialization   an initialization script, kept as given; else null
 * @param dependsOn        the attribute whose value this one's options depend on; else null
 * @param optionCategories the category of an option (by the option's value), for options that have one
 */
public record Attribute(String name, String label, AttributeType type, boolean mandatory, boolean hidden, boolean multiple,
                        int position, boolean preset, List<String> options, boolean readonly, String parent, Long setId,
                        String validation, String initialization, String dependsOn, Map<String, String> optionCategories) {

    public Attribute {
        options = List.copyOf(options);
        optionCategories = optionCategories == null ? Map.of() : Map.copyOf(optionCategories);
    }

    /** An attribute with none of the details beyond core's first ones. */
    public Attribute(String name, String label, AttributeType type, boolean mandatory, boolean hidden, boolean multiple,
                     int position, boolean preset, List<String> options) {
        this(name, label, type, mandatory, hidden, multiple, position, preset, options, false, null, null, null, null, null, Map.of());
    }

    public Attribute withOptions(List<String> newOptions) {
        return withOptions(newOptions, optionCategories);
    }

    /** The attribute with these options and categories (categories of options no longer present are dropped). */
    public Attribute withOptions(List<String> newOptions, Map<String, String> categories) {
        var kept = new java.util.HashMap<String, String>();
        categories.forEach((value, category) -> {
            if (newOptions.contains(value) && category != null) {
                kept.put(value, category);
            }
        });
        return new Attribute(name, label, type, mandatory, hidden, multiple, position, preset, newOptions, readonly, parent, setId,
                validation, initialization, dependsOn, kept);
    }
}
