package io.dossier.it.ows;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.it.support.Ows;
import io.dossier.it.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manual §2.4: the data services and their field definitions, behind HTTP Basic. */
class OwsInfoPagesIT {

    @Test
    void section_2_4_dataServiceAndFieldDefinitions() {
        var ows = Ows.newTenant(TestServer.shared(), List.of("en"));
        var http = ows.server().http();
        var basic = "Basic " + Base64.getEncoder().encodeToString((ows.username() + ":" + ows.password()).getBytes(StandardCharsets.UTF_8));

        var anonymous = http.get("/ows/info/");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        var wrong = http.send(http.builder("/ows/info/").header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((ows.username() + ":wrong").getBytes(StandardCharsets.UTF_8))));
        assertThat(wrong.status()).isEqualTo(401);

        var index = http.send(http.builder("/ows/info/").header("Authorization", basic));
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.body()).contains("Otys.Services.CandidateService").contains("Otys.Services.VacancyService")
                .contains("Otys.Services.DocumentTypeService").contains("Otys.Services.UserService");

        var detail = http.send(http.builder("/ows/info/detail.php?service=Otys.Services.CandidateService").header("Authorization", basic));
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.body()).contains("<th>Listable</th>").contains("<th>Filterable</th>").contains("<th>Sortable</th>")
                .contains("<th>Updatable</th>").contains("<th>Obligatory</th>").contains("<th>Deletable</th>")
                .contains("<th>Insertable</th>").contains("<th>Has options</th>").contains("<th>Not empty</th>")
                .contains("<th>In list by default</th>").contains("<th>Data type comment</th>").contains("<th>Comment</th>")
                .contains("<details><summary>Person").contains("<details><summary>Person.PhoneNumbers")
                .contains("firstName").contains("statusId");

        var missing = http.send(http.builder("/ows/info/detail.php?service=Otys.Services.Nothing").header("Authorization", basic));
        assertThat(missing.status()).isEqualTo(404);
        var script = http.send(http.builder("/ows/info/detail.php?service=%3Cscript%3E").header("Authorization", basic));
        assertThat(script.body()).doesNotContain("<script>");
    }
}
