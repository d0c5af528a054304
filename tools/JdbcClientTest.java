// pgjdbc against a running server: setBigDecimal (binary numeric), setObject(UUID), setBytes,
// intervals and timestamps with time zone, each read back. Run by tools/jdbc_client_test.py as
//   java -cp /usr/share/java/postgresql.jar tools/JdbcClientTest.java PORT
// Prints one line per check, "ok NAME" or "FAILED NAME DETAIL".
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.util.PGInterval;

public class JdbcClientTest {
  static void check(String name, boolean ok, Object detail) {
    System.out.println((ok ? "ok " : "FAILED ") + name + (ok ? "" : " " + detail));
  }

  public static void main(String[] args) throws Exception {
    // prepareThreshold=-1: server-prepared statements with binary transfer from the first use.
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/postgres?prepareThreshold=-1";
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      Statement s = c.createStatement();
      s.execute("SET TimeZone = 'UTC'");
      s.execute("CREATE TABLE jd (id uuid PRIMARY KEY, n numeric, b bytea, t timestamptz,"
          + " i interval)");
      String[] numbers = {"-12.3400", "0", "0.00", "1E+20", "0.000000001",
          "98765432109876543210.0123456789"};
      for (String text : numbers) {
        BigDecimal n = new BigDecimal(text);
        UUID id = UUID.randomUUID();
        byte[] bytes = {0, 1, (byte) 255, 92};
        OffsetDateTime t = OffsetDateTime.of(2024, 3, 10, 1, 2, 3, 4000, ZoneOffset.ofHours(2));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO jd VALUES (?, ?, ?, ?, ?::interval)")) {
          p.setObject(1, id);
          p.setBigDecimal(2, n);
          p.setBytes(3, bytes);
          p.setObject(4, t);
          // setObject(PGInterval) looks the type up in pg_type (a catalog query ActiveStore
          // cannot run yet); the text form goes through a cast.
          p.setString(5, "1 mon 2 days 03:04:05.5");
          p.executeUpdate();
        }
        try (PreparedStatement q = c.prepareStatement(
                 "SELECT id, n, b, t, i, n * 2, n::text FROM jd WHERE id = ?")) {
          q.setObject(1, id);
          ResultSet r = q.executeQuery();
          r.next();
          // getObject of a uuid or interval column asks pg_type for the type (a catalog query
          // ActiveStore cannot answer yet): read their text.
          check("uuid " + text, r.getString(1).equals(id.toString()), r.getString(1));
          String got = r.getString(7);
          check("numeric " + text, r.getBigDecimal(2).equals(new BigDecimal(got))
              && new BigDecimal(got).compareTo(n) == 0, got);
          check("numeric arithmetic " + text,
              r.getBigDecimal(6).compareTo(n.multiply(BigDecimal.valueOf(2))) == 0,
              r.getBigDecimal(6));
          check("bytea " + text, Arrays.equals(r.getBytes(3), bytes), Arrays.toString(r.getBytes(3)));
          OffsetDateTime gt = r.getObject(4, OffsetDateTime.class);
          check("timestamptz " + text, gt.toInstant().equals(t.toInstant()), gt);
          check("interval " + text,
              new PGInterval(r.getString(5)).equals(new PGInterval(0, 1, 2, 3, 4, 5.5)),
              r.getString(5));
        }
      }
    }
  }
}
