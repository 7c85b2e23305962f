class Agtop < Formula
  desc "Live CPU, GPU, power and memory dashboard for Apple Silicon, no sudo needed"
  homepage "https://github.com/OWNER/agtop"
  url "https://github.com/OWNER/agtop/releases/download/v0.1.0/agtop-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "MIT"
  head "https://github.com/OWNER/agtop.git", branch: "main"

  depends_on "cmake" => :build
  depends_on "pkgconf" => :build
  depends_on "jansson"
  depends_on "libmicrohttpd"
  # macOS's own ncurses 5.7 has no direct colour and few colour pairs
  depends_on "ncurses"
  # the process filter's matcher, with match, depth and heap limits
  depends_on "pcre2"

  uses_from_macos "expat"

  def install
    system "cmake", "-S", ".", "-B", "build",
                    "-DBUILD_TESTING=OFF",
                    "-DAGTOP_BASH_COMPLETION_DIR=#{bash_completion}",
                    "-DAGTOP_ZSH_COMPLETION_DIR=#{zsh_completion}",
                    "-DAGTOP_FISH_COMPLETION_DIR=#{fish_completion}",
                    *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
  end

  test do
    if version.head?
      assert_match(/^agtop \d+\.\d+\.\d+/, shell_output("#{bin}/agtop --version"))
    else
      assert_equal "agtop #{version}\n", shell_output("#{bin}/agtop --version")
    end

    # a dump of an M1's IOReport channels decodes on any machine
    decoded = shell_output("#{bin}/agtop --decode-dump #{pkgshare}/examples/m1-ioreport-dump.json")
    assert_match "chip Apple M1  (macOS 13.3, 8 CPUs, 8 GPU cores)", decoded
    assert_match(/^E-CPU +efficiency +0 0-3 /, decoded)

    # PCRE2 is opened at run time, for a process filter only: its own message proves it loads
    filter = shell_output("#{bin}/agtop --json --count 1 --proc-filter '[' 2>&1", 2)
    assert_match "missing terminating ] for character class", filter
  end
end
