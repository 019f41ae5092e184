package io.dossier.core.metadata;

import java.util.List;

/**
 * One attribute of a template or attribute set.
 *
 * @param preset  whether values must be one of {@code options} (a preset editor) rather than free
 * @param options the allowed values of a preset attribute, in display order
 */
public record Attribute(String name, String label, AttributeType type, boolean mandatory, boolean hidden, boolean multiple,
                        int position, boolean preset, List<String> options) {

    public Attribute {
        options = List.copyOf(options);
    }

    public Attribute withOptions(List<String> newOptions) {
        return new Attribute(name, label, type, mandatory, hidden, multiple, position, preset, newOptions);
    }
}
