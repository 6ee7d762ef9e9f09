package dev.latent.processor.model;

/**
 * A user class named in {@code custom = ...}, with what the reader found out about it.
 *
 * @param canonicalName the class's canonical name, for generated code
 * @param implementsRequired whether it implements the interface the attribute requires
 * @param requiredInterface that interface's name
 * @param instantiable whether it is a public, non-abstract class with a public no-argument constructor
 */
public record CustomClass(String canonicalName, boolean implementsRequired, String requiredInterface,
        boolean instantiable, SourceRef source) {}
