package org.partneraccess.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.IdentityService;
import org.partneraccess.PerRequest;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Looks up staff users and their groups in the staff realm through the engine's identity service.
 */
@Service
public class StaffDirectory {

    private static final Logger log = LoggerFactory.getLogger(StaffDirectory.class);

    private final IdentityService identity;
    private final StaffAccounts accounts;
    private final Map<String, List<String>> lastKnownEmails = new ConcurrentHashMap<>();
    private final ExecutorService lookups = Executors.newCachedThreadPool(daemonThreads());

    StaffDirectory(IdentityService identity, StaffAccounts accounts) {
        this.identity = identity;
        this.accounts = accounts;
    }

    /** Staff user names as Keycloak keeps them (it lower-cases them): case does not make two people. */
    public static String canonical(Object user) {
        return user == null ? null : user.toString().trim().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether a staff user of this name can be named (a sponsor, an owner, a successor): the account exists, and the
     * name still stands for the account it was pinned to; naming someone pins their name. Asked once per request: a
     * request's checks and its start transaction, which holds a database connection, share the answer.
     */
    public boolean exists(String userId) {
        return PerRequest.once("staff user exists " + userId,
                () -> find(userId).isPresent() && accounts.refusalOfName(userId).isEmpty());
    }

    /** Asked once per request, as {@link #exists}. */
    public boolean isMember(String userId, String group) {
        if (userId == null || userId.isBlank()) {
            return false;
        }
        return PerRequest.once("staff user " + userId + " in " + group, () -> unrestricted(
                () -> identity.createUserQuery().userId(userId).memberOfGroup(group).count() > 0));
    }

    public List<String> emailsOfGroup(String group) {
        List<String> emails = unrestricted(() -> identity.createUserQuery().memberOfGroup(group).list())
                .stream().map(User::getEmail).filter(email -> email != null && !email.isBlank()).toList();
        lastKnownEmails.put(group, emails);
        return emails;
    }

    /**
     * The group's addresses, or the ones the staff realm gave last when it does not answer within {@code wait}: an
     * alarm about Keycloak being down must not wait for Keycloak.
     */
    public List<String> emailsOfGroupOrLastKnown(String group, Duration wait) {
        try {
            return CompletableFuture.supplyAsync(() -> emailsOfGroup(group), lookups).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            List<String> lastKnown = lastKnownEmails.getOrDefault(group, List.of());
            log.warn("Staff realm did not give the addresses of {} ({}); using the {} known before", group, e, lastKnown.size());
            return lastKnown;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lastKnownEmails.getOrDefault(group, List.of());
        }
    }

    /** A staff user as a picker offers them: the user name and how people know them. */
    public record Member(String userId, String displayName) {
    }

    /**
     * The members of a staff group, or every staff user when {@code group} is null, at most {@code limit}, by user
     * name. Only an offer: naming one still goes through {@link #exists} and the pins.
     */
    public List<Member> members(String group, int limit) {
        return unrestricted(() -> {
            var query = identity.createUserQuery();
            if (group != null) {
                query.memberOfGroup(group);
            }
            return query.orderByUserId().asc().listPage(0, limit);
        }).stream().map(user -> new Member(user.getId(), nameOf(user))).toList();
    }

    /** First and last name as the staff realm has them, or the user name when it has none. */
    public String displayName(String userId) {
        return find(userId).map(StaffDirectory::nameOf).orElse(userId);
    }

    private static String nameOf(User user) {
        String name = String.join(" ", java.util.stream.Stream.of(user.getFirstName(), user.getLastName())
                .filter(part -> part != null && !part.isBlank()).toList());
        return name.isBlank() ? user.getId() : name;
    }

    public Optional<String> email(String userId) {
        return find(userId).map(User::getEmail).filter(email -> !email.isBlank());
    }

    private Optional<User> find(String userId) {
        // the staff realm's user names have no braces; the identity plugin's client would expand them as a URI template
        if (userId == null || userId.isBlank() || userId.contains("{") || userId.contains("}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(unrestricted(
                () -> identity.createUserQuery().userId(userId).singleResult()));
    }

    private static ThreadFactory daemonThreads() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("staff-lookup-");
        threads.setDaemon(true);
        return threads;
    }

    /**
     * Runs a lookup without the current user's authentication: the identity plugin filters users by the caller's
     * own read permission, and a requester must still be able to name a sponsor they cannot list. A staff realm that
     * gives no answer is Keycloak unavailable, as for the partner realm; the plugin reports it as any other failure.
     */
    private <T> T unrestricted(Supplier<T> query) {
        try {
            return EngineCaller.withoutAuthentication(identity, query);
        } catch (RuntimeException e) {
            Optional<KeycloakUnavailableException> unavailable = unavailable(e);
            if (unavailable.isPresent()) {
                throw unavailable.get();
            }
            throw e;
        }
    }

    /** The identity plugin's failure as Keycloak unavailable, if it got no answer ({@link #noAnswer}). */
    static Optional<KeycloakUnavailableException> unavailable(Throwable failure) {
        return noAnswer(failure).map(why -> new KeycloakUnavailableException("staff realm lookup failed: " + why, failure));
    }

    /**
     * Why the identity plugin's request got no answer, if that is what failed: an I/O error (refused, timed out), or
     * an answer asking to come back later (5xx, 429), which the plugin reports wrapped in its own exception.
     */
    static Optional<String> noAnswer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ResourceAccessException io) {
                return Optional.of(io.getMessage());
            }
            if (cause instanceof RestClientResponseException answer
                    && KeycloakUnavailableException.comeBackLater(answer.getStatusCode().value())) {
                return Optional.of("Keycloak answered HTTP " + answer.getStatusCode().value());
            }
        }
        return Optional.empty();
    }
}
