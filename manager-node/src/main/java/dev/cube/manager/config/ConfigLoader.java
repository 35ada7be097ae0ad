package dev.cube.manager.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks a manager's YAML config; every problem is one sentence naming the key. */
public final class ConfigLoader {
    private static final Pattern HOST_PORT = Pattern.compile("[^:\\s]+:\\d{1,5}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new DurationText()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigLoader() {}

    public static ManagerConfig load(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not readable");
        }
        try {
            return check(YAML.readValue(file.toFile(), ManagerConfig.class).withDefaults());
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            String key = e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("."));
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            throw new ConfigException(file + ": " + (key.isEmpty() ? "" : key + ": ")
                    + (cause != null ? cause.getMessage() : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    public static ManagerConfig check(ManagerConfig c) {
        require(ID.matcher(c.id()).matches(), "id '" + c.id() + "' must be letters, digits, '-' or '_'");
        require(c.api().port() > 0 && c.api().port() < 65536, "api.port must be 1-65535");
        require(c.raft().port() > 0 && c.raft().port() < 65536, "raft.port must be 1-65535");
        require(!c.managers().isEmpty(), "managers must list at least this manager");
        Set<String> ids = new HashSet<>();
        for (ManagerConfig.Member m : c.managers()) {
            require(m.id() != null && ID.matcher(m.id()).matches(), "managers: a member has no valid id");
            require(ids.add(m.id()), "managers: id '" + m.id() + "' is listed twice");
            require(m.raft() != null && HOST_PORT.matcher(m.raft()).matches(),
                    "managers." + m.id() + ".raft must be host:port");
            require(m.api() != null && HOST_PORT.matcher(m.api()).matches(),
                    "managers." + m.id() + ".api must be host:port");
        }
        require(ids.contains(c.id()), "managers must include this manager's id '" + c.id() + "'");
        require(c.storage().path() != null && !c.storage().path().isBlank(), "storage.path must be set");
        return c;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new ConfigException(message);
    }

    /** A config that cannot be used, with a sentence naming the key. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
