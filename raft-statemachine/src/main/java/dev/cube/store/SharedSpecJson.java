package dev.cube.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonGeneratorImpl;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.cube.model.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link TaskSpec} as its bean serializer does, but keeps the text of the last specs written
 * and writes it again for the same instance: the replicas of a submission share one spec, and a
 * worker's assignments repeat it for every task (a large part of serializing them). Only
 * for compact JSON text; a pretty printer or a tree ({@code valueToTree}) gets the bean serializer.
 */
final class SharedSpecJson extends StdSerializer<TaskSpec> {
    private static final int SLOTS = 16;

    /** A spec and its JSON; final fields, so a slot read by another thread is whole. */
    private record Written(TaskSpec spec, SerializedString json) {}

    private final JsonSerializer<Object> bean;
    private final Written[] slots = new Written[SLOTS];

    private SharedSpecJson(JsonSerializer<Object> bean) {
        super(TaskSpec.class);
        this.bean = bean;
    }

    /** Puts this serializer in front of the bean serializer Jackson builds for {@link TaskSpec}. */
    static BeanSerializerModifier modifier() {
        return new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                                                      JsonSerializer<?> serializer) {
                return description.getBeanClass() == TaskSpec.class
                        ? new SharedSpecJson((JsonSerializer<Object>) serializer) : serializer;
            }
        };
    }

    @Override
    public void serialize(TaskSpec spec, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (!(gen instanceof JsonGeneratorImpl) || gen.getPrettyPrinter() != null) {
            bean.serialize(spec, gen, provider);
            return;
        }
        int slot = System.identityHashCode(spec) & (SLOTS - 1);
        Written written = slots[slot];
        if (written == null || written.spec() != spec) {
            written = new Written(spec, new SerializedString(text(spec, gen, provider)));
            slots[slot] = written;
        }
        gen.writeRawValue(written.json());
    }

    private String text(TaskSpec spec, JsonGenerator outer, SerializerProvider provider) throws IOException {
        ByteArrayBuilder buffer = new ByteArrayBuilder();
        try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(buffer)) {
            gen.setCodec(outer.getCodec());
            bean.serialize(spec, gen, provider);
        }
        return new String(buffer.toByteArray(), StandardCharsets.UTF_8);
    }
}
