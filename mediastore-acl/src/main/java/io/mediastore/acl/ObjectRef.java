package io.mediastore.acl;

/**
 * One object of a model, for example {@code Asset:42}.
 *
 * @param model the model name
 * @param id    the object's id in the host application (any text without control characters)
 */
public record ObjectRef(String model, String id) {

    public ObjectRef {
        Names.name("model name", model);
        Names.id("object id", id);
    }

    public static ObjectRef of(String model, String id) {
        return new ObjectRef(model, id);
    }

    @Override
    public String toString() {
        return model + ":" + id;
    }
}
