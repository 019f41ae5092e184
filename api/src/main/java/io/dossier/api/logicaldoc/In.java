package io.dossier.api.logicaldoc;

import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.core.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of one LogicalDOC call, whatever carried them: the children of a SOAP wrapper
 * element, a JSON object of the REST API, or query and form parameters. Numbers may come as text
 * with spaces around them (one SOAP toolkit sends longs as strings); a value that is not one is
 * {@code INVALID} naming the argument.
 */
interface In {

    /** The text of the argument, or null when absent. */
    String text(String name);

    /** Every value of a repeated text argument. */
    List<String> texts(String name);

    /** The argument as a structure, or null when absent. */
    In object(String name);

    /** Every value of a repeated structured argument. */
    List<In> objects(String name);

    default String required(String name) {
        var value = text(name);
        if (value == null) {
            throw Failure.invalid("missing argument " + name);
        }
        return value;
    }

    default long requiredLong(String name) {
        var value = longValue(name);
        if (value == null) {
            throw Failure.invalid("missing argument " + name);
        }
        return value;
    }

    default Long longValue(String name) {
        var value = text(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw Failure.invalid(name + " must be a whole number, got '" + clip(value) + "'");
        }
    }

    default int intValue(String name, int fallback) {
        var value = longValue(name);
        if (value == null) {
            return fallback;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw Failure.invalid(name + " is out of range: " + value);
        }
        return value.intValue();
    }

    /** A 0/1 flag; {@code true}/{@code false} are read too. */
    default boolean flag(String name) {
        var value = text(name);
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw Failure.invalid(name + " must be 0 or 1, got '" + clip(value) + "'");
        };
    }

    static String clip(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }

    /** The children of a SOAP element. */
    static In of(XmlNode node) {
        return new In() {
            @Override
            public String text(String name) {
                return node.text(name);
            }

            @Override
            public List<String> texts(String name) {
                return node.all(name).stream().map(XmlNode::text).toList();
            }

            @Override
            public In object(String name) {
                return node.child(name).map(In::of).orElse(null);
            }

            @Override
            public List<In> objects(String name) {
                return node.all(name).stream().map(In::of).toList();
            }
        };
    }

    /** A JSON object of the REST API (scalars as their text; an array is a repeated argument). */
    static In of(JsonNode node) {
        return new In() {
            @Override
            public String text(String name) {
                var value = node.get(name);
                if (value == null || value.isNull()) {
                    return null;
                }
                if (value.isContainerNode()) {
                    throw Failure.invalid(name + " must be a single value");
                }
                return value.asText();
            }

            @Override
            public List<String> texts(String name) {
                var value = node.get(name);
                var out = new ArrayList<String>();
                if (value == null || value.isNull()) {
                    return out;
                }
                if (value.isArray()) {
                    value.forEach(v -> out.add(v.isValueNode() ? v.asText() : v.toString()));
                } else {
                    out.add(value.asText());
                }
                return out;
            }

            @Override
            public In object(String name) {
                var value = node.get(name);
                if (value == null || value.isNull()) {
                    return null;
                }
                if (!value.isObject()) {
                    throw Failure.invalid(name + " must be an object");
                }
                return of(value);
            }

            @Override
            public List<In> objects(String name) {
                var value = node.get(name);
                var out = new ArrayList<In>();
                if (value == null || value.isNull()) {
                    return out;
                }
                if (value.isObject()) {
                    out.add(of(value));
                    return out;
                }
                if (!value.isArray()) {
                    throw Failure.invalid(name + " must be a list of objects");
                }
                for (var item : value) {
                    if (!item.isObject()) {
                        throw Failure.invalid(name + " must be a list of objects");
                    }
                    out.add(of(item));
                }
                return out;
            }
        };
    }

    /** Query or form parameters. */
    static In of(Map<String, List<String>> parameters) {
        return new In() {
            @Override
            public String text(String name) {
                var values = parameters.get(name);
                return values == null || values.isEmpty() ? null : values.getFirst();
            }

            @Override
            public List<String> texts(String name) {
                return parameters.getOrDefault(name, List.of());
            }

            @Override
            public In object(String name) {
                return null;
            }

            @Override
            public List<In> objects(String name) {
                return List.of();
            }
        };
    }
}
