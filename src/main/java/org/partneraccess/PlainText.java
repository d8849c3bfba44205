package org.partneraccess;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * Text a person typed, nothing else: no control characters (a line break would split a mail header), no expression
 * syntax ({@code ${…}}, {@code #{…}}) in a value that becomes a process variable, and on one line no markup either.
 * Null is valid; pair with {@code @NotBlank} where the field is required.
 */
@Documented
@Constraint(validatedBy = PlainTextValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    /** Line breaks and tabs allowed (a purpose, a reason); markup is then left to the pages, which escape it. */
    boolean multiline() default false;

    String message() default "plain text only";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
