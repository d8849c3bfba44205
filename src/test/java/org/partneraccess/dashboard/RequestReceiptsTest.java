package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.mail.PublicLinks;
import org.partneraccess.security.StaffDirectory;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.mail.MailSendException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.mock.env.MockEnvironment;

/** The receipt names the stored request and links to its page; nothing else is confirmed, and a mail failure stays there. */
class RequestReceiptsTest {

    private static final String SUBJECT = "6f1c2d8e-0000-4000-8000-000000000001";

    private final MyRequests requests = mock(MyRequests.class);
    private final StaffDirectory staff = mock(StaffDirectory.class);
    private final MailNotifier mail = mock(MailNotifier.class);
    private final MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8443");

    @BeforeEach
    void rita() {
        when(staff.email("rita.requester")).thenReturn(Optional.of("rita.requester@example.com"));
    }

    @Test
    void namesTheRequestWhoDecidesNextAndLinksToItsPageAtThePublicAddress() {
        when(requests.on("rita.requester", SUBJECT)).thenReturn(List.of(person(null)));

        receipts("https://access.example.org/").confirm(new RequestRecorded(SUBJECT, "rita.requester"));

        ArgumentCaptor<String> body = ArgumentCaptor.forClass(String.class);
        verify(mail).send(eq(List.of("rita.requester@example.com")),
                eq("Your request is recorded: Person Ada Partner (acme)"), body.capture());
        assertThat(body.getValue()).contains("State: REQUESTED",
                "Who decides next: Approve person Ada Partner — LOW (sam.sponsor)",
                "https://access.example.org/dashboard/requests/" + SUBJECT);
    }

    @Test
    void withoutAPublicAddressLinksToThisServersPort() {
        when(requests.on("rita.requester", SUBJECT)).thenReturn(List.of(person(null)));

        receipts("").confirm(new RequestRecorded(SUBJECT, "rita.requester"));

        ArgumentCaptor<String> body = ArgumentCaptor.forClass(String.class);
        verify(mail).send(any(), anyString(), body.capture());
        assertThat(body.getValue()).contains("http://localhost:8443/dashboard/requests/" + SUBJECT);
    }

    @Test
    void confirmsNothingThatIsNotTheRequestersOwnRequest() {
        when(requests.on("rita.requester", SUBJECT)).thenReturn(List.of(person("role invoices.read for 2 hours")));

        receipts("").confirm(new RequestRecorded(SUBJECT, "rita.requester"));
        receipts("").confirm(new RequestRecorded("someone-elses", "rita.requester"));

        verifyNoInteractions(mail);
    }

    @Test
    void aMailServerThatIsDownCostsTheReceiptOnly() {
        when(requests.on("rita.requester", SUBJECT)).thenReturn(List.of(person(null)));
        doThrow(new MailSendException("connection refused")).when(mail).send(any(), anyString(), anyString());

        assertThatCode(() -> receipts("").confirm(new RequestRecorded(SUBJECT, "rita.requester")))
                .doesNotThrowAnyException();
    }

    @Test
    void aFullQueueCostsTheReceiptOnly() {
        RequestReceipts full = new RequestReceipts(requests, staff, mail, new PublicLinks(environment, ""),
                task -> {
                    throw new TaskRejectedException("queue full");
                }, mock(PlatformTransactionManager.class));

        assertThatCode(() -> full.confirm(new RequestRecorded(SUBJECT, "rita.requester"))).doesNotThrowAnyException();
        verifyNoInteractions(mail);
    }

    private RequestReceipts receipts(String publicUrl) {
        return new RequestReceipts(requests, staff, mail, new PublicLinks(environment, publicUrl), Runnable::run,
                mock(PlatformTransactionManager.class));
    }

    /** The person's request as "My requests" lists it; {@code asked} set makes it a change request on the same subject. */
    private static MyRequests.Request person(String asked) {
        return new MyRequests.Request(MyRequests.Kind.PERSON, SUBJECT, "Person Ada Partner (acme)", Instant.now(), asked,
                "REQUESTED", List.of(new MyRequests.Decider("Approve person Ada Partner — LOW", null,
                List.of("sam.sponsor"), List.of(), Instant.now())), List.of());
    }
}
