package io.dossier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEveryCommand() {
        var out = new StringWriter();
        var cli = Main.commandLine(new String[] {"--help"});
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("dev", "start", "tenant", "user", "client", "admin-token", "fileapi");
    }

    @Test
    void aNamedCommandGetsOnlyItsOwnModel() {
        var cli = Main.commandLine(new String[] {"tenant", "list"});
        assertThat(cli.getSubcommands()).containsOnlyKeys("tenant");
        assertThat(cli.getSubcommands().get("tenant").getSubcommands()).containsKeys("create", "list");
    }

    @Test
    void anUnknownCommandIsRefusedNamingTheCommands() {
        var err = new StringWriter();
        var cli = Main.commandLine(new String[] {"nonsense"});
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("nonsense")).isNotZero();
        assertThat(err.toString()).contains("nonsense").contains("admin-token");
    }
}
