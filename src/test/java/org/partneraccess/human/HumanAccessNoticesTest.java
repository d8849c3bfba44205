package org.partneraccess.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.security.StaffDirectory;

/** The sponsor's mails name the last day of access as it was requested, not the instant access stops. */
class HumanAccessNoticesTest {

    private final HumanAccessService humans = mock(HumanAccessService.class);
    private final StaffDirectory staff = mock(StaffDirectory.class);
    private final MailNotifier mail = mock(MailNotifier.class);
    private final HumanAccessNotices notices = new HumanAccessNotices(humans, staff, mail);

    /** As written (the last nanosecond of the day) and as read back (rounded up to the next midnight). */
    @ParameterizedTest
    @ValueSource(strings = {"2027-03-15T23:59:59.999999999Z", "2027-03-16T00:00:00Z"})
    void grantedAndExpiryWarningNameTheLastDay(String storedEnd) {
        PartnerIdentity person = new PartnerIdentity("id-1", "acme", IdentityKind.HUMAN, "Ada Lovelace",
                "ada@acme.example", "ada@acme.example", "sam.sponsor", "Plans shipments", null, Set.of("orders.read"),
                Instant.parse(storedEnd), "rita.requester");
        person.approve("sam.sponsor", Instant.now());
        person.provisioned("kc-1");
        assertThat(person.getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(person.getLastDay()).isEqualTo(LocalDate.of(2027, 3, 15));
        when(humans.get("id-1")).thenReturn(person);
        when(staff.email(anyString())).thenReturn(Optional.of("sam.sponsor@example.com"));

        notices.granted("id-1");
        notices.expiryWarning("id-1");

        ArgumentCaptor<String> body = ArgumentCaptor.forClass(String.class);
        verify(mail, org.mockito.Mockito.times(2)).send(any(), anyString(), body.capture());
        assertThat(body.getAllValues().get(0)).contains("Access ends on 2027-03-15.").doesNotContain("2027-03-16");
        assertThat(body.getAllValues().get(1)).contains("ends on 2027-03-15 (its last day)")
                .doesNotContain("2027-03-16");
    }
}
