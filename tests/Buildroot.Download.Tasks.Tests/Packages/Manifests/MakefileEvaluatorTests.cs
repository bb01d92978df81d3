using System.Diagnostics;
using Buildroot.Download.Tasks.Packages.Manifests;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Packages.Manifests;

/// <summary>
/// The evaluator against GNU make itself: for makefiles that depend on nothing outside them,
/// the value we compute must be the value <c>make</c> prints with <c>$(info …)</c> at the end.
/// </summary>
public sealed class MakefileEvaluatorTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("makeeval");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> DeterminedMakefiles => new()
    {
        { "recursive variables see later assignments", "A = 1\nV = $(A).3\nA = 2\n" },
        { "simple variables expand at once", "A = 1\nV := $(A).3\nA = 2\n" },
        { "double-colon simple assignment", "A = 1\nV ::= $(A)\nA = 2\n" },
        { "conditional assignment keeps an existing value", "V = a\nV ?= b\n" },
        { "conditional assignment sets an undefined one", "V ?= b\n" },
        { "append to a recursive variable stays recursive", "A = 1\nV = x $(A)\nV += y $(A)\nA = 2\n" },
        { "append to a simple variable expands at once", "A = 1\nV := x $(A)\nV += $(A)\nA = 2\n" },
        { "append to an empty value adds no space", "V =\nV += a\n" },
        { "append to an undefined variable", "V += y\n" },
        { "continuation lines join with one space", "V = a \\\n    b \\\n\tc\n" },
        { "a comment ends the value, its blanks stay", "V = a   # a comment\n" },
        { "an escaped hash is a hash", "V = a\\#b\n" },
        { "a comment line can continue", "# comment \\\nV = hidden\nV ?= shown\n" },
        { "braces and single-letter references", "A = 1\nV = ${A}$A\n" },
        { "a double dollar is a dollar", "V = a$$b\n" },
        { "computed variable names", "P = FOO\n$(P)_V = x\nV = $($(P)_V)\n" },
        { "export and override prefixes", "export V = a\noverride V += b\n" },
        { "subst and patsubst", "A = 1.2.3\nV = $(subst .,_,$(A)) $(patsubst %.c,%.o,a.c b.h)\n" },
        { "strip, findstring, filter, filter-out, sort", "V = [$(strip  a   b  )] $(findstring b,abc) $(filter %.c x,a.c b.h x) $(filter-out %.c,a.c b.h) $(sort c a b a)\n" },
        { "word, wordlist, words, firstword, lastword", "L = a b c d\nV = $(word 2,$(L)) $(wordlist 2,3,$(L)) $(words $(L)) $(firstword $(L)) $(lastword $(L)) [$(word 9,$(L))]\n" },
        { "file name functions", "F = src/a.c b.tar.gz dir/\nV = $(dir $(F)) | $(notdir $(F)) | $(suffix $(F)) | $(basename $(F))\n" },
        { "prefix, suffix and join", "V = $(addprefix p-,a b) $(addsuffix .x,a b) $(join a b c,1 2)\n" },
        { "a version's major part", "FOO_VERSION = 2.76.4\nV = $(basename $(FOO_VERSION)) $(firstword $(subst ., ,$(FOO_VERSION)))\n" },
        { "if, or and and", "E =\nV = $(if $(E),yes,no) $(if x,yes) $(or $(E),,second,third) [$(and a,$(E),c)] $(and a,b)\n" },
        { "foreach", "V = $(foreach x,a b c,<$(x)>)\n" },
        { "call with user macros and missing arguments", "greet = hello $(1) and $(2)[$(3)]\nV = $(call greet,world,you)\n" },
        { "call of a builtin function", "V = $(call subst,a,b,banana)\n" },
        { "substitution references", "A = a.c b.c\nV = $(A:.c=.o) $(A:%.c=%.h)\n" },
        { "ifeq decided from the file", "A = 1\nifeq ($(A),1)\nV = yes\nelse\nV = no\nendif\n" },
        { "ifneq with quotes", "A = 1\nifneq \"$(A)\" '2'\nV = differs\nendif\n" },
        { "ifeq keeps trailing blanks of values", "A = x \nifeq ($(A),x)\nV = same\nelse\nV = different\nendif\n" },
        { "else ifeq chains", "A = 3\nifeq ($(A),1)\nV = one\nelse ifeq ($(A),3)\nV = three\nelse\nV = other\nendif\n" },
        { "ifdef is false for an empty variable", "E =\nifdef E\nV = defined\nelse\nV = empty\nendif\n" },
        { "ifndef and nesting", "A = 1\nifndef FOO_UNSET\nifeq ($(A),2)\nV = inner\nelse\nV = outer\nendif\nendif\n" },
        { "a skipped branch skips nested conditionals and defines", "ifeq (a,b)\nifeq (a,a)\nV = no\nendif\ndefine X\nV = no\nendef\nelse\nV = yes\nendif\n" },
        { "define blocks are not assignments", "define X\nV = inside\nendef\nV = outside\n" },
        { "a define block is a recursive variable", "A = 1\ndefine V\nx $(A)\nendef\nA = 2\n" },
        { "eval of a define with conditionals", "define M\nifeq ($(1),a)\n$(2)_X = yes\nelse\n$(2)_X = no\nendif\nendef\n$(eval $(call M,a,P))\n$(eval $(call M,b,Q))\nV = $(P_X) $(Q_X)\n" },
        { "eval with double dollars defers expansion", "define M\n$(1)_V = $$(B)\nendef\n$(eval $(call M,P))\nB = late\nV = $(P_V)\n" },
        { "ifndef inside a define evaluated once", "define M\nifndef $(1)_S\n$(1)_S = def\nendif\nendef\nFOO_P_S = given\n$(eval $(call M,FOO_P))\n$(eval $(call M,FOO_Q))\nV = $(FOO_P_S) $(FOO_Q_S)\n" },
        { "rules and recipes set nothing", "foo:\n\tV = recipe\nV = real\nbar: baz\n" },
        { "undefine", "V = a\nundefine V\nV += b\n" },
        { "many appends, one of them read in between", "V = a\nV += b\nV += c\nW := $(V)\nV += d $(W)\n" },
        { "a define body of several lines, an empty one among them", "A = 1\ndefine V\nx $(A)\n  y\n\nz\nendef\n" },
        { "nested functions in arguments", "V = $(patsubst %,<%>,$(filter-out b,$(sort c b a))) $(if $(filter a,a b),$(words a b),none)\n" },
        { "commas inside parentheses stay in the argument", "V = $(subst (a,b),x,(a,b)c)\n" },
        { "a call passing its arguments on to another", "f = [$(1)|$(2)]\ng = $(call f,$(2),$(1))\nV = $(call g,a,b)\n" },
        { "a reference at the very end of the text", "A = 1\nV = x$(A)" },
    };

    [RequiresToolsTheory("make")]
    [MemberData(nameof(DeterminedMakefiles))]
    public void Values_match_GNU_make(string description, string makefile)
    {
        string expected = RunMake(makefile, "V");

        Expansion ours = Evaluate(makefile).Expander.ValueOf("V");

        ours.Doubts.ShouldBeEmpty(description);
        ours.Text.ShouldBe(expected, description);
    }

    [Fact]
    public void A_variable_the_file_does_not_define_makes_the_value_doubtful_naming_the_line()
    {
        MakefileEvaluator evaluator = Evaluate("# header\nFOO_SITE = $(BR2_GNU_MIRROR)/foo\n");

        Expansion site = evaluator.Expander.ValueOf("FOO_SITE");

        site.Doubts.ShouldHaveSingleItem().ToString().ShouldBe($"{_folder.Combine("package", "foo", "foo.mk")}:2: $(BR2_GNU_MIRROR) is not defined");
    }

    [Fact]
    public void The_packages_own_variables_are_empty_when_undefined_without_doubt()
    {
        Expansion value = Evaluate("FOO_VERSION = 1.0$(FOO_VERSION_SUFFIX)\n").Expander.ValueOf("FOO_VERSION");

        value.IsCertain.ShouldBeTrue();
        value.Text.ShouldBe("1.0");
    }

    [Theory]
    [InlineData("FOO_SITE = $(shell echo https://example.org)\n", "$(shell …) is not evaluated")]
    [InlineData("FOO_SITE != echo https://example.org\n", "set by a shell command")]
    [InlineData("FOO_SITE = $(call mirror,foo)\n", "$(call mirror,…): mirror is not defined")]
    [InlineData("FOO_SITE = https://$(wildcard *.nothing)$(origin FOO)\n", "$(origin …) is not evaluated")]
    [InlineData("FOO_SITE = $(word x,a b)\n", "not a word index")]
    [InlineData("FOO_SITE = https://$(FOO_SITE)\n", "refers to itself")]
    public void Values_this_reader_cannot_compute_are_doubtful_never_guessed(string makefile, string reason)
    {
        Expansion site = Evaluate(makefile).Expander.ValueOf("FOO_SITE");

        site.IsCertain.ShouldBeFalse();
        site.Doubts.ShouldContain(d => d.Text.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Whatever_an_undecidable_condition_sets_is_doubtful_and_names_the_condition()
    {
        MakefileEvaluator evaluator = Evaluate(string.Join(
            "\n",
            "FOO_PATCH = base.patch",
            "ifeq ($(BR2_PACKAGE_FOO_EXTRA),y)",
            "FOO_PATCH += extra.patch",
            "FOO_CONF_OPTS += --extra",
            "else",
            "FOO_DL_OPTS = -q",
            "endif",
            "FOO_SITE = https://example.org",
            ""));

        MakeDoubt doubt = evaluator.Expander.ValueOf("FOO_PATCH").Doubts.ShouldHaveSingleItem();
        doubt.Line.ShouldBe(2);
        doubt.Text.ShouldBe("$(BR2_PACKAGE_FOO_EXTRA) is not defined");
        evaluator.Expander.ValueOf("FOO_DL_OPTS").Doubts.ShouldBe([doubt]);
        evaluator.Expander.ValueOf("FOO_SITE").IsCertain.ShouldBeTrue();
    }

    [Fact]
    public void Inside_an_undecided_ifndef_the_variable_is_known_to_be_undefined()
    {
        MakefileEvaluator evaluator = Evaluate("ifeq ($(BR2_X),y)\nFOO_SOURCE = a.tar.gz\nendif\nifndef FOO_SOURCE\nifdef FOO_SOURCE\nFOO_SOURCE = $(FOO_SOURCE)\nelse\nFOO_SOURCE = b.tar.gz\nendif\nendif\n");

        Expansion source = evaluator.Expander.ValueOf("FOO_SOURCE");

        source.Text.ShouldBe("b.tar.gz");
        source.Doubts.ShouldAllBe(d => d.Text == "$(BR2_X) is not defined");
    }

    [Fact]
    public void An_assignment_to_a_computed_name_makes_only_the_names_it_could_be_doubtful()
    {
        MakefileEvaluator evaluator = Evaluate("FOO_TOOLS_y = a\nFOO_TOOLS_$(BR2_FOO_X) += b\nFOO_SITE = https://example.org\n");

        evaluator.Expander.ValueOf("FOO_TOOLS_y").IsCertain.ShouldBeFalse();
        evaluator.Expander.ValueOf("FOO_SITE").IsCertain.ShouldBeTrue();
        evaluator.Notices.ShouldBeEmpty();
    }

    [Fact]
    public void A_full_assignment_after_the_condition_clears_the_doubt()
    {
        MakefileEvaluator evaluator = Evaluate("ifeq ($(BR2_X),y)\nFOO_SITE = a\nendif\nFOO_SITE = b\n");

        Expansion site = evaluator.Expander.ValueOf("FOO_SITE");

        site.Text.ShouldBe("b");
        site.IsCertain.ShouldBeTrue();
    }

    [Fact]
    public void Includes_are_followed_and_unknown_evals_are_noticed_with_their_lines()
    {
        _folder.WriteFile("package/foo/sub/a.mk", "FOO_A = from a\n");
        _folder.WriteFile("package/foo/sub2/b.mk", "FOO_B = from b $(FOO_A)\n");
        MakefileEvaluator evaluator = Evaluate("include $(sort $(wildcard package/foo/*/*.mk))\n\n$(eval $(call foo-helper,bar))\n-include package/none.mk\ninclude package/missing.mk\n");

        evaluator.Expander.ValueOf("FOO_B").Text.ShouldBe("from b from a");
        evaluator.Notices.Select(n => n.Line).ShouldBe([3, 5]);
    }

    [Fact]
    public void Export_and_unexport_of_a_name_are_understood_as_no_change()
    {
        MakefileEvaluator evaluator = Evaluate("FOO_X = 1\nexport FOO_X\nunexport FOO_Y\nexport\n");

        evaluator.Notices.ShouldBeEmpty();
        evaluator.Expander.ValueOf("FOO_X").Text.ShouldBe("1");
    }

    [Fact]
    public void Declarations_come_from_the_infrastructure_macros_with_name_and_prefixes()
    {
        MakefileEvaluator evaluator = Evaluate("$(eval $(host-cargo-package))\n${eval ${golang-package}}\n$(eval $(host-toolchain-external-package))\n", infrastructures: true);

        evaluator.Declarations.Select(d => (d.Name, d.Prefix, d.TargetPrefix, d.IsHost, d.Line))
            .ShouldBe([("host-foo", "HOST_FOO", "FOO", true, 1), ("foo", "FOO", "FOO", false, 2)]);
        evaluator.Notices.ShouldHaveSingleItem().Line.ShouldBe(3);
    }

    [Fact]
    public void Each_version_of_an_appended_variable_keeps_its_own_pieces()
    {
        // Versions share their pieces (appending copies nothing); appending to an older one must not change a newer one.
        MakeVariable first = MakeVariable.Recursive("V", "a", "f.mk", 1);
        MakeVariable longer = first.Append("b", "f.mk", 2, []);
        MakeVariable other = first.Append("c", "f.mk", 3, []);
        MakeVariable longest = longer.Append("d", "f.mk", 4, []);

        first.Value.ShouldBe("a");
        longer.Value.ShouldBe("a b");
        other.Value.ShouldBe("a c");
        longest.Value.ShouldBe("a b d");
        other.Append("e", "f.mk", 5, []).Value.ShouldBe("a c e");
        longest.Value.ShouldBe("a b d");
    }

    private MakefileEvaluator Evaluate(string makefile, bool infrastructures = false)
    {
        var evaluator = new MakefileEvaluator(
            [],
            name => name.StartsWith("FOO_", StringComparison.Ordinal) || name.StartsWith("HOST_FOO_", StringComparison.Ordinal) || name.StartsWith("BR_FMT_", StringComparison.Ordinal),
            _ => _folder.Path,
            PackageInfrastructures.Natives);
        if (infrastructures)
        {
            evaluator.ReadFile(PackageInfrastructures.FileName, PackageInfrastructures.Text);
        }

        evaluator.ReadFile(_folder.Combine("package", "foo", "foo.mk"), makefile);
        return evaluator;
    }

    private string RunMake(string makefile, string variable)
    {
        string path = _folder.WriteFile($"{Guid.NewGuid():N}.mk", $"{makefile}\n$(info [[$({variable})]])\n__print: ; @:\n");
        var start = new ProcessStartInfo("make") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-s", "-f", path, "__print" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, errors);
        int open = output.IndexOf("[[", StringComparison.Ordinal);
        return output[(open + 2)..output.LastIndexOf("]]", StringComparison.Ordinal)];
    }
}
