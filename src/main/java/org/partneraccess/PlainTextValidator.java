package org.partneraccess;

import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link PlainText}. */
public class PlainTextValidator implements ConstraintValidator<PlainText, String> {

    private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{");
    private static final Pattern ONE_LINE = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029<>]");
    private static final Pattern LINES = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029&&[^\\n\\r\\t]]");

    private boolean multiline;

    @Override
    public void initialize(PlainText annotation) {
        multiline = annotation.multiline();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        String message = null;
        if (EXPRESSION.matcher(value).find()) {
            // escaped: a constraint message is a template in which ${ and { have a meaning
            message = "plain text: no \\$\\{ or #\\{";
        } else if ((multiline ? LINES : ONE_LINE).matcher(value).find()) {
            message = multiline ? "plain text: no control characters other than line breaks and tabs"
                    : "plain text on one line: no control characters, no < or >";
        }
        if (message == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message).addConstraintViolation();
        return false;
    }
}
