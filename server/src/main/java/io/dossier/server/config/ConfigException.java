package io.dossier.server.config;

/** A setting that is missing or wrong; its message is one line naming the setting. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String setting, String problem) {
        super("setting " + setting + " " + problem, null, false, false);
    }
}
