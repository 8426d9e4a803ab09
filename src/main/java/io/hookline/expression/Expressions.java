package io.hookline.expression;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.hookline.config.ConfigException;

/**
 * The CEL environment of filters, transforms and broker keys: the per-event variables
 * ({@link EventContext}), the standard macros ({@code has()}, {@code exists()}, ...), and the cost
 * bound. Everything is compiled and type-checked once, at start-up; evaluation is a tree walk.
 *
 * <p>Usage: {@code Expression e = Expressions.compile("body.data.object.amount >= 1000",
 * "sources[0].destinations[1].filter", ResultKind.BOOL)} (throws {@link ConfigException} naming the
 * path with CEL's message), then per event {@code e.evalBool(context)} with one {@link EventContext}
 * shared by every expression of that event, so its body is parsed at most once.
 *
 * <p>Cost bound: at most {@value #MAX_SOURCE_CHARS} characters and {@value #MAX_NODES} syntax nodes per
 * expression, {@value #MAX_ITERATIONS} iterations per comprehension ({@code all}, {@code map}, ...),
 * regular expressions of bounded program size; no loops or recursion exist in CEL beyond these.
 */
public final class Expressions {
  static final int MAX_SOURCE_CHARS = 4096;
  static final int MAX_NODES = 1000;
  static final int MAX_ITERATIONS = 1000;

  /** What an expression must evaluate to; checked at compile time where the type is known. */
  public enum ResultKind {
    /** A filter: true delivers. */
    BOOL,
    /** A header value, path suffix, key, subject: a string (numbers are accepted and printed). */
    STRING,
    /** A transformed body: any value, serialised as JSON. */
    JSON
  }

  static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .maxExpressionCodePointSize(MAX_SOURCE_CHARS)
      .maxParseExpressionNodeCount(MAX_NODES)
      .maxParseRecursionDepth(100)
      .comprehensionMaxIterations(MAX_ITERATIONS)
      .maxRegexProgramSize(1000)
      .build();

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar(EventContext.BODY, SimpleType.DYN)
      .addVar(EventContext.HEADERS, MapType.create(SimpleType.STRING, SimpleType.STRING))
      .addVar(EventContext.TYPE, SimpleType.DYN)
      .addVar(EventContext.SOURCE, SimpleType.STRING)
      .addVar(EventContext.ID, SimpleType.STRING)
      .addVar(EventContext.PROVIDER_EVENT_ID, SimpleType.STRING)
      .addVar(EventContext.RECEIVED_AT, SimpleType.TIMESTAMP)
      .build();

  /** Compiled expressions by kind and text: the router, the workers and the admin API share one compilation. */
  private static final java.util.Map<String, Expression> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

  private Expressions() {}

  /**
   * Parses and type-checks {@code source}; a syntax or type error (or a result that cannot be
   * {@code kind}) is a {@link ConfigException} at {@code configPath} carrying CEL's message.
   */
  public static Expression compile(String source, String configPath, ResultKind kind) {
    if (source == null || source.isBlank()) {
      throw new ConfigException(configPath, "is an empty expression");
    }
    Expression cached = COMPILED.get(kind + ":" + source);
    if (cached != null) {
      return cached;
    }
    Expression compiled = compileUncached(source, configPath, kind);
    COMPILED.put(kind + ":" + source, compiled);
    return compiled;
  }

  private static Expression compileUncached(String source, String configPath, ResultKind kind) {
    CelAbstractSyntaxTree ast;
    try {
      ast = CEL.compile(source).getAst();
    } catch (CelValidationException e) {
      throw new ConfigException(configPath, "is not a valid CEL expression: " + oneLine(e.getMessage()));
    }
    CelType result = ast.getResultType();
    if (!fits(result, kind)) {
      throw new ConfigException(configPath, "must evaluate to " + kind.name().toLowerCase(java.util.Locale.ROOT)
          + ", but '" + source + "' evaluates to " + result.name());
    }
    try {
      return new Expression(source, kind, CEL.createProgram(ast), usesBody(ast));
    } catch (CelEvaluationException e) {
      throw new ConfigException(configPath, "cannot be planned: " + oneLine(e.getMessage()));
    }
  }

  private static boolean fits(CelType type, ResultKind kind) {
    String n = type.name();
    return switch (kind) {
      case BOOL -> n.equals("bool") || n.equals("dyn");
      case STRING -> n.equals("string") || n.equals("int") || n.equals("uint") || n.equals("double") || n.equals("dyn");
      case JSON -> true;
    };
  }

  private static boolean usesBody(CelAbstractSyntaxTree ast) {
    return ast.getReferenceMap().values().stream().anyMatch(r -> EventContext.BODY.equals(r.name()));
  }

  /**
   * CEL's messages: one {@code ERROR: <input>:line:col: ...} line per problem, each followed by the
   * source and a caret drawing, which means nothing on one line: keep the ERROR lines, joined.
   */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    java.util.List<String> errors = message.lines().map(String::strip).filter(l -> l.startsWith("ERROR:")).toList();
    return errors.isEmpty() ? message.replaceAll("\\s*\\n\\s*", " ").strip() : String.join("; ", errors);
  }
}
