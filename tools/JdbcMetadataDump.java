// pgjdbc's DatabaseMetaData and ResultSetMetaData over the reference schema
// (sql-tests/catalog/psql/schema.sql), printed as text so that tools/jdbc_metadata_test.py can
// compare ActiveStore's answers with PostgreSQL 15's. Run as a single-file source program:
//
//   java -cp /usr/share/java/postgresql.jar tools/JdbcMetadataDump.java PORT [TIMING_TABLE]
//
// With TIMING_TABLE it instead prints the mean time of getColumns(null, "public", TABLE, null)
// over 20 calls after 3 warm-up calls, in milliseconds.
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

public class JdbcMetadataDump {
  interface Call {
    ResultSet run(DatabaseMetaData md) throws SQLException;
  }

  static void dump(String name, ResultSet rs) throws SQLException {
    System.out.println("== " + name);
    ResultSetMetaData m = rs.getMetaData();
    StringBuilder head = new StringBuilder();
    for (int i = 1; i <= m.getColumnCount(); i++) {
      head.append(i > 1 ? "\t" : "").append(m.getColumnLabel(i));
    }
    System.out.println(head);
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= m.getColumnCount(); i++) {
        row.append(i > 1 ? "\t" : "").append(rs.getString(i));
      }
      rows.add(row.toString());
    }
    rs.close();
    for (String r : rows) System.out.println(r);
  }

  static void call(DatabaseMetaData md, String name, Call c) {
    try {
      dump(name, c.run(md));
    } catch (SQLException e) {
      System.out.println("== " + name);
      System.out.println("ERROR " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
    }
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/postgres";
    try (Connection conn = DriverManager.getConnection(url, "postgres", "postgres")) {
      DatabaseMetaData md = conn.getMetaData();
      if (args.length > 1) {
        for (int i = 0; i < 3; i++) md.getColumns(null, "public", args[1], null).close();
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          try (ResultSet rs = md.getColumns(null, "public", args[1], null)) {
            while (rs.next()) {}
          }
        }
        System.out.printf("getColumns %.2f ms%n", (System.nanoTime() - start) / 20 / 1e6);
        return;
      }
      call(md, "getCatalogs", m -> m.getCatalogs());
      call(md, "getSchemas", m -> m.getSchemas());
      call(md, "getSchemas s%", m -> m.getSchemas(null, "s%"));
      call(md, "getTables public", m -> m.getTables(null, "public", "%", null));
      call(md, "getTables s2 TABLE", m -> m.getTables(null, "s2", "%", new String[] {"TABLE"}));
      call(md, "getTables VIEW", m -> m.getTables(null, null, "%", new String[] {"VIEW"}));
      call(md, "getTables SEQUENCE",
           m -> m.getTables(null, "public", "%", new String[] {"SEQUENCE"}));
      call(md, "getColumns t", m -> m.getColumns(null, "public", "t", null));
      call(md, "getColumns items", m -> m.getColumns(null, "s2", "items", "%"));
      call(md, "getColumns v", m -> m.getColumns(null, "public", "v", null));
      call(md, "getPrimaryKeys t", m -> m.getPrimaryKeys(null, "public", "t"));
      call(md, "getPrimaryKeys items", m -> m.getPrimaryKeys(null, "s2", "items"));
      call(md, "getImportedKeys t", m -> m.getImportedKeys(null, "public", "t"));
      call(md, "getImportedKeys items", m -> m.getImportedKeys(null, "s2", "items"));
      call(md, "getExportedKeys parent", m -> m.getExportedKeys(null, "public", "parent"));
      call(md, "getExportedKeys t", m -> m.getExportedKeys(null, "public", "t"));
      call(md, "getCrossReference",
           m -> m.getCrossReference(null, "public", "parent", null, "public", "t"));
      call(md, "getIndexInfo t", m -> m.getIndexInfo(null, "public", "t", false, false));
      call(md, "getIndexInfo t unique", m -> m.getIndexInfo(null, "public", "t", true, false));
      call(md, "getIndexInfo items", m -> m.getIndexInfo(null, "s2", "items", false, false));
      call(md, "getTablePrivileges t", m -> m.getTablePrivileges(null, "public", "t"));
      call(md, "getColumnPrivileges t", m -> m.getColumnPrivileges(null, "public", "t", "%"));
      call(md, "getTableTypes", m -> m.getTableTypes());
      call(md, "getProcedures public", m -> m.getProcedures(null, "public", "%"));
      call(md, "getFunctions public", m -> m.getFunctions(null, "public", "%"));
      call(md, "getUDTs", m -> m.getUDTs(null, "public", "%", null));
      call(md, "getVersionColumns t", m -> m.getVersionColumns(null, "public", "t"));
      call(md, "getBestRowIdentifier t",
           m -> m.getBestRowIdentifier(null, "public", "t", DatabaseMetaData.bestRowSession, true));
      try (Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("SELECT t.id, t.code, t.price, t.created, p.name, "
                                          + "t.qty + 1 AS q1 FROM t JOIN parent p ON p.id = "
                                          + "t.parent_id")) {
        ResultSetMetaData m = rs.getMetaData();
        System.out.println("== ResultSetMetaData");
        for (int i = 1; i <= m.getColumnCount(); i++) {
          System.out.println(m.getColumnLabel(i) + "\t" + m.getColumnTypeName(i) + "\t"
                             + m.getColumnType(i) + "\t" + m.isNullable(i) + "\t"
                             + m.getTableName(i) + "\t" + m.getSchemaName(i) + "\t"
                             + m.isAutoIncrement(i) + "\t" + m.getPrecision(i) + "\t"
                             + m.getScale(i) + "\t" + m.getColumnDisplaySize(i));
        }
      }
    }
  }
}
