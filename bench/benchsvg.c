/* benchsvg.c -- draw ipcbench's CSV as an SVG bar chart: round-trip latency and
 *          bandwidth per mechanism, one bar per placement, on log scales.
 * Usage:  benchsvg [-t title] [file.csv]      (reads stdin without a file)
 * Shows:  that a chart is drawn from the measured data by a few lines of C:
 *         no plotting package, nothing copied by hand.
 * Mirrors: nothing in the lectures: it draws docs/performance.svg.
 * Build:  cc -o benchsvg benchsvg.c -lm */
#define _POSIX_C_SOURCE 200809L /* getopt, getline */

#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ROWS 64
#define NPLACES 3
#define PANEL_W (LABEL_W + PLOT_W + 70) /* room for the value after the longest bar */
#define WIDTH (20 + 2 * PANEL_W)
#define LABEL_W 120
#define PLOT_W 300

static const char *const places[NPLACES] = {"same", "diff", "sched"};
static const char *const colours[NPLACES] = {"#4477aa", "#ee6677", "#228833"};
static const char *const panel_titles[2] = {
    "round trip, microseconds (log scale; shorter is faster)",
    "bandwidth, GB/s (log scale; longer is faster)"};

struct bar_row {
    char name[32];
    double value[2][NPLACES]; /* [latency us | bandwidth GB/s][placement]; 0 = none */
};

static struct bar_row rows[MAX_ROWS];
static int nrows, used_place[NPLACES];

static void usage(void)
{
    fprintf(stderr, "usage: benchsvg [-t title] [file.csv]\n");
    exit(2);
}

static struct bar_row *row_named(const char *name)
{
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    if (nrows == MAX_ROWS)
        errx(1, "more than %d mechanisms", MAX_ROWS);
    snprintf(rows[nrows].name, sizeof rows[nrows].name, "%s", name);
    return &rows[nrows++];
}

/* Split line at sep into at most max fields (in place). */
static int split(char *line, char sep, char **field, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max; p++) {
        field[n++] = p;
        p = strchr(p, sep);
        if (p == NULL)
            break;
        *p = '\0';
    }
    return n;
}

/* Columns, as ipcbench -o csv writes them:
 * mechanism,test,placement,cpus,msg_bytes,reps,rounds,median,min,max,unit,... */
static void read_csv(FILE *in, const char *what)
{
    char *line = NULL, *f[13];
    size_t cap = 0;
    long lineno = 0;

    while (getline(&line, &cap, in) != -1) {
        char sep = strchr(line, '\t') != NULL ? '\t' : ',';
        int n = split(line, sep, f, 13);
        if (++lineno == 1) {
            if (n < 11 || strcmp(f[0], "mechanism") != 0 || strcmp(f[7], "median") != 0)
                errx(1, "%s: not ipcbench's CSV (no header line)", what);
            continue;
        }
        if (n < 11)
            errx(1, "%s:%ld: %d fields, expected at least 11", what, lineno, n);
        if (f[7][0] == '\0')
            continue; /* refused: nothing measured */
        int kind = strcmp(f[1], "latency") == 0     ? 0
                   : strcmp(f[1], "bandwidth") == 0 ? 1
                                                    : -1;
        int p = 0;
        while (p < NPLACES && strcmp(f[2], places[p]) != 0)
            p++;
        char *end;
        double v = strtod(f[7], &end);
        if (kind < 0 || p == NPLACES || *end != '\0' || !(v > 0))
            errx(1, "%s:%ld: bad test, placement or median", what, lineno);
        row_named(f[0])->value[kind][p] = kind == 0 ? v / 1000 : v / 1e9;
        used_place[p] = 1;
    }
    if (ferror(in))
        err(1, "%s", what);
    free(line);
    if (nrows == 0)
        errx(1, "%s: no measurements", what);
}

static int rows_in(int kind)
{
    int n = 0;
    for (int i = 0; i < nrows; i++)
        for (int p = 0; p < NPLACES; p++)
            if (rows[i].value[kind][p] > 0) {
                n++;
                break;
            }
    return n;
}

static int bars_per_row(void)
{
    int n = 0;
    for (int p = 0; p < NPLACES; p++)
        n += used_place[p];
    return n;
}

/* The decades the values of one panel span. */
static void decades(int kind, int *lo, int *hi)
{
    double min = INFINITY, max = 0;
    for (int i = 0; i < nrows; i++)
        for (int p = 0; p < NPLACES; p++) {
            double v = rows[i].value[kind][p];
            if (v > 0 && v < min)
                min = v;
            if (v > max)
                max = v;
        }
    if (max == 0) { /* nothing of this kind measured (a latency-only CSV): an empty
                       panel, and no log10(0) = -inf converted to int */
        *lo = 0;
        *hi = 1;
        return;
    }
    *lo = (int)floor(log10(min));
    *hi = (int)ceil(log10(max));
    if (*hi == *lo)
        (*hi)++;
}

/* One panel at x0, from y0 down; returns the y below it. */
static int panel(int kind, int x0, int y0)
{
    int lo, hi, bars = bars_per_row(), row_h = 4 + 11 * bars;
    int height = rows_in(kind) * row_h;
    decades(kind, &lo, &hi);
    double scale = PLOT_W / (double)(hi - lo);
    int px = x0 + LABEL_W;

    printf("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", x0, y0,
           panel_titles[kind]);
    y0 += 12;
    for (int d = lo; d <= hi; d++) { /* a grid line per decade */
        int x = px + (int)lround((d - lo) * scale);
        printf("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>\n", x, y0,
               x, y0 + height);
        printf("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%g</text>\n",
               x, y0 + height + 12, pow(10, d));
    }
    int y = y0;
    for (int i = 0; i < nrows; i++) {
        int any = 0;
        for (int p = 0; p < NPLACES; p++)
            any |= rows[i].value[kind][p] > 0;
        if (!any)
            continue;
        printf("<text x=\"%d\" y=\"%d\">%s</text>\n", x0, y + row_h / 2 + 4,
               rows[i].name);
        int by = y + 2;
        for (int p = 0; p < NPLACES; p++) {
            if (!used_place[p])
                continue;
            double v = rows[i].value[kind][p];
            if (v > 0) {
                int w = (int)lround((log10(v) - lo) * scale);
                printf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"9\" fill=\"%s\"/>"
                       "<text x=\"%d\" y=\"%d\" font-size=\"9\">%.3g</text>\n",
                       px, by, w > 1 ? w : 1, colours[p], px + w + 3, by + 8, v);
            }
            by += 11;
        }
        y += row_h;
    }
    return y0 + height + 30;
}

int main(int argc, char *argv[])
{
    const char *title = "ipcbench";
    int opt;
    FILE *in = stdin;

    opterr = 0; /* one usage line, not getopt's message too */
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            usage();
        title = optarg;
    }
    if (argc - optind > 1)
        usage();
    if (optind < argc && (in = fopen(argv[optind], "r")) == NULL)
        err(1, "%s", argv[optind]);
    read_csv(in, optind < argc ? argv[optind] : "stdin");

    int h =
        70 + 30 + 12 +
        (rows_in(0) > rows_in(1) ? rows_in(0) : rows_in(1)) * (4 + 11 * bars_per_row()) +
        30;
    printf("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
           "font-family=\"sans-serif\" font-size=\"11\">\n",
           WIDTH, h);
    printf("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    printf("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">");
    for (const char *c = title; *c != '\0'; c++) /* the title is text, not markup */
        if (*c == '<')
            printf("&lt;");
        else if (*c == '&')
            printf("&amp;");
        else
            putchar(*c);
    printf("</text>\n");
    int lx = 10;
    for (int p = 0; p < NPLACES; p++)
        if (used_place[p]) {
            printf("<rect x=\"%d\" y=\"32\" width=\"12\" height=\"9\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"41\">%s</text>\n",
                   lx, colours[p], lx + 16,
                   p == 0   ? "same CPU"
                   : p == 1 ? "different CPUs"
                            : "scheduler");
            lx += 130;
        }
    panel(0, 10, 70);
    panel(1, 10 + PANEL_W, 70);
    printf("</svg>\n");
    if (fflush(stdout) == EOF || ferror(stdout))
        err(1, "stdout");
    return 0;
}
