package dev.cube.manager.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the scheduler ranks the workers that fit: the manager config's {@code scheduler.strategy}. */
public enum Strategy {
    /** Fill the fullest worker that fits. */
    BINPACK,
    /** Fill the emptiest worker (least allocated); the default. */
    SPREAD,
    /** E-PVM opportunity cost: the smallest growth of an exponential cost of CPU and memory use. */
    EPVM;

    public static final Strategy DEFAULT = SPREAD;

    /** The scorer for one pass over a fleet of {@code workers} workers. */
    public Scorer scorer(int workers) {
        return switch (this) {
            case BINPACK -> new BinPack();
            case SPREAD -> new Spread();
            case EPVM -> new EPvm(workers);
        };
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code binpack}, {@code spread} or {@code epvm}; IllegalArgumentException naming them otherwise. */
    @JsonCreator
    public static Strategy parse(String text) {
        for (Strategy s : values()) {
            if (s.json().equals(text)) return s;
        }
        throw new IllegalArgumentException("'" + text + "' is not one of "
                + Arrays.stream(values()).map(Strategy::json).collect(Collectors.joining(", ")));
    }
}
