package io.dossier.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** A config file: {@code key = value} lines, {@code #} comments (Java properties syntax). */
public final class ConfigFile {

    private ConfigFile() {
    }

    public static Map<String, String> read(Path file) {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--config", "cannot be read from " + file + ": " + e.getMessage());
        }
        var values = new TreeMap<String, String>();
        properties.forEach((k, v) -> values.put(k.toString().trim(), v.toString()));
        return values;
    }
}
