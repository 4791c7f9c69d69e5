package dev.repro.serde;

import java.util.HashSet;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate the contract's generated classes. Since Avro 1.12.2, specific readers
 * refuse every class that Avro's process-wide {@link ClassSecurityValidator} does not trust,
 * including the application's own generated records (unless
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} is set before Avro loads). This adds exactly
 * the records and enums of the contract schemas to that process-wide allow-list, once,
 * keeping whatever else it trusts. Writer schemas come only from {@link ReproSchemas}, never
 * from the bytes, so no class named by input is ever trusted.
 */
final class AvroClassTrust {

    private AvroClassTrust() {
    }

    static synchronized void trustContractClasses() {
        Set<String> classNames = contractClassNames();
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (classNames.stream().allMatch(name -> isTrusted(current, name))) {
            return;
        }
        ClassSecurityValidator.Builder contract = ClassSecurityValidator.builder();
        classNames.forEach(contract::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(contract.build(), current));
    }

    /** Java class names of every record and enum in the contract schemas, nested ones included. */
    static Set<String> contractClassNames() {
        Set<String> names = new HashSet<>();
        for (Class<? extends SpecificRecord> type : ReproSchemas.recordClasses()) {
            collect(ReproSchemas.current(type), names);
        }
        return names;
    }

    private static void collect(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(SpecificData.getClassName(schema))) {
                    schema.getFields().forEach(field -> collect(field.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(SpecificData.getClassName(schema));
            case ARRAY -> collect(schema.getElementType(), names);
            case MAP -> collect(schema.getValueType(), names);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, names));
            default -> {
            }
        }
    }

    private static boolean isTrusted(ClassSecurityPredicate predicate, String className) {
        try {
            return predicate.isTrusted(Class.forName(className, false, AvroClassTrust.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("generated class " + className + " is missing from the classpath", e);
        }
    }
}
