package org.partneraccess.security.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.junit.jupiter.api.Test;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.security.SavePoints;
import org.springframework.stereotype.Component;

/**
 * The save-point list against the code: it names delegates that exist, and every delegate whose calls change Keycloak
 * or send mail, followed through the application's services, is on it (and so, by the house checks on every model,
 * behind {@code asyncBefore} with a retry cycle).
 */
class SavePointsTest {

    private static final String APPLICATION = "org.partneraccess";
    /**
     * What changes the outside world, which a rolled-back transaction cannot take back: a change through the Keycloak
     * package's resource classes or Keycloak's admin client (by the verb its method starts with; reads fail without leaving anything
     * half done), and mail.
     */
    private static final List<String> KEYCLOAK = List.of(PartnerUsers.class.getName(),
            PartnerClients.class.getName(), PartnerRealm.class.getName(), "org.keycloak.admin.client.");
    private static final List<String> MAIL = List.of("org.springframework.mail.", "jakarta.mail.");
    private static final List<String> CHANGES = List.of("ensure", "create", "update", "add", "grant", "enable", "disable",
            "logout", "revoke", "remove", "delete", "replace", "set", "send");

    @Test
    void everySavePointDelegateIsADelegateBean() {
        assertThat(DelegateBeans.scan()).containsAll(SavePoints.DELEGATES);
    }

    @Test
    void everyDelegateWhoseCallsChangeKeycloakOrSendMailIsASavePoint() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(APPLICATION);
        Set<String> reaching = new TreeSet<>();
        for (JavaClass type : classes) {
            if (type.isAssignableTo(JavaDelegate.class) && type.isAnnotatedWith(Component.class)
                    && !type.getModifiers().contains(JavaModifier.ABSTRACT)
                    && reachesOutside(type.getMethod("execute", DelegateExecution.class))) {
                reaching.add(beanName(type));
            }
        }
        assertThat(reaching).as("delegates whose calls change Keycloak or send mail").isNotEmpty();
        assertThat(SavePoints.DELEGATES).as("the save points").containsAll(reaching);
    }

    /** Follows the calls and method references of the application's code, through every override of a called method. */
    private static boolean reachesOutside(JavaCodeUnit start) {
        Deque<JavaCodeUnit> next = new ArrayDeque<>(List.of(start));
        Set<JavaCodeUnit> seen = new HashSet<>(next);
        while (!next.isEmpty()) {
            JavaCodeUnit unit = next.poll();
            List<CodeUnitAccessTarget> targets = Stream.concat(unit.getCallsFromSelf().stream().map(call -> call.getTarget()),
                    unit.getCodeUnitReferencesFromSelf().stream().map(reference -> reference.getTarget())).toList();
            for (CodeUnitAccessTarget target : targets) {
                String owner = target.getOwner().getName();
                if (in(owner, MAIL) || in(owner, KEYCLOAK) && CHANGES.stream().anyMatch(target.getName()::startsWith)) {
                    return true;
                }
                if (!owner.startsWith(APPLICATION + ".")) {
                    continue;
                }
                target.resolveMember().ifPresent(member -> {
                    Stream.concat(Stream.of(member), overrides(member)).filter(seen::add).forEach(next::add);
                });
            }
        }
        return false;
    }

    private static boolean in(String type, List<String> prefixes) {
        return prefixes.stream().anyMatch(prefix -> type.equals(prefix) || prefix.endsWith(".") && type.startsWith(prefix));
    }

    private static Stream<JavaCodeUnit> overrides(JavaCodeUnit member) {
        String[] parameters = member.getRawParameterTypes().stream().map(JavaClass::getName).toArray(String[]::new);
        return member.getOwner().getAllSubclasses().stream()
                .flatMap(sub -> sub.tryGetCodeUnitWithParameterTypeNames(member.getName(), List.of(parameters)).stream());
    }

    private static String beanName(JavaClass type) {
        String named = type.getAnnotationOfType(Component.class).value();
        return named.isEmpty() ? Introspector.decapitalize(type.getSimpleName()) : named;
    }
}
