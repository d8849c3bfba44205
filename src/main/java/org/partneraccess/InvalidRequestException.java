package org.partneraccess;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * Bad input: names each invalid field with a message a person can act on. Nothing was changed.
 * To the engine it is a form field validation failure: a start through the engine REST API, a form submitted (as
 * Tasklist does) or a script's {@code start}, is answered 400 with these messages (the latter through
 * {@code security.EngineRefusals}, since Camunda's {@code start} answers 500 for any engine exception but an
 * authorization refusal).
 */
public class InvalidRequestException extends FormFieldValidationException {

    private final Map<String, String> fieldErrors;

    public InvalidRequestException(Map<String, String> fieldErrors) {
        super(new TreeMap<>(fieldErrors), fieldErrors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")));
        this.fieldErrors = new TreeMap<>(fieldErrors);
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** Bean validation's findings by field, to add more to; an element of a set is reported as the set. */
    public static <T> Map<String, String> violations(Validator validator, T request) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<T> violation : validator.validate(request)) {
            errors.merge(violation.getPropertyPath().toString().replaceAll("\\[.*", ""), violation.getMessage(),
                    (a, b) -> a + "; " + b);
        }
        return errors;
    }
}
