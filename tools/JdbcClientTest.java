// pgjdbc against a running server: setBigDecimal (binary numeric), setObject(UUID), setBytes,
// intervals and timestamps with time zone, each read back; setFetchSize in a transaction. Run by
// tools/jdbc_client_test.py as
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
      fetchSize(c);
    }
  }

  // setFetchSize inside a transaction: pgjdbc sends Execute with max_rows = 100 and gets the
  // rows in pieces (PortalSuspended), resuming the portal for the next piece.
  static void fetchSize(Connection c) throws Exception {
    c.setAutoCommit(false);
    try (PreparedStatement q = c.prepareStatement(
             "SELECT g, g::float8 / 2, 'row ' || g, g % 3 = 0 FROM generate_series(1, 2500) g")) {
      q.setFetchSize(100);
      ResultSet r = q.executeQuery();
      int n = 0;
      boolean ok = true;
      while (r.next()) {
        ++n;
        ok &= r.getInt(1) == n && r.getDouble(2) == n / 2.0 && r.getString(3).equals("row " + n)
            && r.getBoolean(4) == (n % 3 == 0);
      }
      check("fetch size rows", n == 2500 && ok, n);
    }
    // Two portals open at once, read alternately.
    try (PreparedStatement p1 = c.prepareStatement("SELECT g FROM generate_series(1, 500) g");
         PreparedStatement p2 = c.prepareStatement("SELECT -g FROM generate_series(1, 500) g")) {
      p1.setFetchSize(7);
      p2.setFetchSize(7);
      ResultSet a = p1.executeQuery();
      ResultSet b = p2.executeQuery();
      boolean alternate = true;
      for (int i = 1; i <= 500; ++i) {
        alternate &= a.next() && a.getInt(1) == i && b.next() && b.getInt(1) == -i;
      }
      check("fetch size interleaved portals", alternate && !a.next() && !b.next(), "");
    }
    c.commit();
    c.setAutoCommit(true);
  }
}
