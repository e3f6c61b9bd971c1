//===- TargetFacts.cpp - The target machine and what the pipeline knows of it -===//

#include "smc/Pipelines/TargetFacts.h"
#include "smc/Pipelines/Pipeline.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCSchedule.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <mutex>

namespace smc {

/// Empty if every item of `features` ("+avx2,-fma") is a +/- and a feature `sti` knows.
static std::string checkFeatureList(const llvm::MCSubtargetInfo &sti, llvm::StringRef features,
                                    llvm::StringRef triple) {
  llvm::SmallVector<llvm::StringRef> items;
  features.split(items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    llvm::StringRef name = item.trim();
    if (!name.consume_front("+") && !name.consume_front("-"))
      return "target feature '" + item.str() + "' must start with '+' or '-' (e.g. +" + item.str() +
             ")";
    if (llvm::none_of(sti.getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &kv) { return name == kv.Key; }))
      return "unknown target feature '" + name.str() + "' for target '" + triple.str() + "'";
  }
  return "";
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CompileOptions &options,
                                                         std::string &error) {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
  });
  bool host = options.triple.empty();
  std::string triple =
      host ? llvm::sys::getDefaultTargetTriple() : llvm::Triple::normalize(options.triple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    error = "unknown target '" + options.triple + "': " + error;
    return nullptr;
  }
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu.empty())
    cpu = host ? llvm::sys::getHostCPUName().str() : "generic";
  if (features.empty() && host && options.cpu.empty()) {
    llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
    std::vector<std::string> list;
    for (const auto &f : hostFeatures)
      list.push_back((f.second ? "+" : "-") + f.first().str());
    std::sort(list.begin(), list.end());
    for (const auto &f : list)
      features += (features.empty() ? "" : ",") + f;
  }
  llvm::Triple t(triple);
  if (!target->getName() || cpu.empty()) {
    error = "cannot configure target '" + triple + "'";
    return nullptr;
  }
  llvm::TargetOptions to;
  if (t.getEnvironment() == llvm::Triple::EABIHF || t.getEnvironment() == llvm::Triple::GNUEABIHF)
    to.FloatABIType = llvm::FloatABI::Hard;
  auto reloc = t.getOS() == llvm::Triple::UnknownOS ? llvm::Reloc::Static : llvm::Reloc::PIC_;
  // The user's CPU and features are checked first, against a plain subtarget: LLVM would only
  // warn about unknown ones on stderr and ignore them.
  if (std::unique_ptr<llvm::MCSubtargetInfo> plain{target->createMCSubtargetInfo(triple, "", "")}) {
    if (!plain->isCPUStringValid(cpu)) {
      error = "unknown cpu '" + cpu + "' for target '" + triple + "'";
      return nullptr;
    }
    error = checkFeatureList(*plain, options.features, triple);
    if (!error.empty())
      return nullptr;
  }
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, reloc, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    error = "cannot create a target machine for '" + triple + "' (cpu '" + cpu + "')";
    return nullptr;
  }
  if (!tm->getMCSubtargetInfo()->isCPUStringValid(cpu)) {
    error = "unknown cpu '" + cpu + "' for target '" + triple + "'";
    return nullptr;
  }
  return tm;
}

/// The latency of the target's widest f32 vector multiply-add in `sti`'s scheduling model (the
/// instruction looked up by its LLVM name), or 4 where there is none to read.
static unsigned fmaLatencyOf(const llvm::TargetMachine &tm, const llvm::MCSubtargetInfo &sti,
                             llvm::StringRef instruction) {
  constexpr unsigned kDefault = 4, kMin = 2, kMax = 8;
  const llvm::MCInstrInfo *mcii = tm.getMCInstrInfo();
  const llvm::MCSchedModel &model = sti.getSchedModel();
  if (instruction.empty() || !mcii || !model.hasInstrSchedModel())
    return kDefault;
  for (unsigned op = 0, n = mcii->getNumOpcodes(); op < n; ++op) {
    if (mcii->getName(op) != instruction)
      continue;
    const llvm::MCSchedClassDesc *desc = model.getSchedClassDesc(mcii->get(op).getSchedClass());
    if (!desc || !desc->isValid() || desc->isVariant())
      return kDefault;
    int latency = llvm::MCSchedModel::computeInstrLatency(sti, *desc);
    return latency <= 0 ? kDefault : std::clamp<unsigned>(latency, kMin, kMax);
  }
  return kDefault;
}

namespace {
/// Per-core L1 data and L2 cache sizes of a CPU that LLVM names.
struct KnownCaches {
  const char *cpu;
  int64_t l1Kib, l2Kib;
};
} // namespace

/// The per-core cache sizes of the CPUs whose caches differ from their family's default (x86-64
/// and AArch64: 32 KiB and 256 KiB), from the vendors' published figures (the performance
/// cores' where a part has two kinds; configurable Arm L2s at their common size). A cross
/// compile names the CPU (`--cpu znver3`) but cannot read its caches.
static const KnownCaches kKnownCaches[] = {
    // x86-64
    {"skylake-avx512", 32, 1024},
    {"cascadelake", 32, 1024},
    {"cooperlake", 32, 1024},
    {"icelake-client", 48, 512},
    {"rocketlake", 48, 512},
    {"tigerlake", 48, 1280},
    {"icelake-server", 48, 1280},
    {"alderlake", 48, 1280},
    {"raptorlake", 48, 2048},
    {"meteorlake", 48, 2048},
    {"sapphirerapids", 48, 2048},
    {"emeraldrapids", 48, 2048},
    {"graniterapids", 48, 2048},
    {"znver1", 32, 512},
    {"znver2", 32, 512},
    {"znver3", 32, 512},
    {"znver4", 32, 1024},
    {"znver5", 48, 1024},
    // AArch64
    {"cortex-a76", 64, 512},
    {"cortex-a77", 64, 512},
    {"cortex-a78", 64, 512},
    {"cortex-x1", 64, 1024},
    {"neoverse-n1", 64, 1024},
    {"neoverse-n2", 64, 1024},
    {"neoverse-v1", 64, 1024},
    {"neoverse-v2", 64, 1024},
};

TargetFacts targetFactsFor(const llvm::TargetMachine &tm) {
  const llvm::Triple &t = tm.getTargetTriple();
  const llvm::MCSubtargetInfo &sti = *tm.getMCSubtargetInfo();
  // Only names the architecture defines: checkFeatures warns about others on stderr.
  auto has = [&](const char *feature) { return sti.checkFeatures(std::string("+") + feature); };
  TargetFacts f;
  f.pointerBits = tm.getPointerSizeInBits(0);
  f.indexBits = f.pointerBits;
  f.dataLayout = tm.createDataLayout().getStringRepresentation();
  int64_t l1 = 0, l2 = 0; // the family's default cache sizes
  if (t.isX86()) {
    f.hasFpu = has("x87") || has("sse");
    // AVX-512 without EVEX512 (AVX10/256) has 32 registers of 256 bits.
    bool avx512 = has("avx512f");
    f.vectorBits = avx512 && has("evex512") ? 512 : has("avx") ? 256 : has("sse") ? 128 : 0;
    f.vectorRegisters = f.vectorBits == 0 ? 0 : !t.isArch64Bit() ? 8 : avx512 ? 32 : 16;
    f.hasFma = has("fma") || has("fma4");
    f.hasFloor = has("sse4.1");
    l1 = 32 << 10;
    l2 = 256 << 10;
  } else if (t.isAArch64()) {
    f.hasFpu = has("fp-armv8");
    f.vectorBits = has("neon") ? 128 : 0;
    f.vectorRegisters = f.vectorBits ? 32 : 0;
    f.hasFma = f.hasFloor = f.hasFpu; // fmadd/fmla and frint* are base FP/SIMD
    f.laneOperands = f.vectorBits > 0;
    l1 = 32 << 10;
    l2 = 256 << 10;
  } else if (t.isARM() || t.isThumb()) {
    f.hasFpu = has("vfp2sp");
    bool neon = has("neon"), mve = has("mve.fp");
    f.vectorBits = neon || mve ? 128 : 0;
    f.vectorRegisters = neon ? 16 : mve ? 8 : 0;
    f.laneOperands = f.vectorBits > 0;
    f.hasFma = has("vfp4d16sp");
    f.hasFloor = has("fp-armv8d16sp"); // vrintm and co. (Cortex-M7, M33, M55; not M4)
    if (!has("mclass")) { // M-profile parts have tightly coupled memory, not caches
      l1 = 32 << 10;
      l2 = 256 << 10;
    }
  } else if (t.isRISCV()) {
    f.hasFpu = f.hasFma = f.hasFloor = has("f"); // LLVM rounds through fcvt with F
  }
  f.threads = t.getOS() != llvm::Triple::UnknownOS;
  if (f.hasFma && f.vectorBits > 0) {
    llvm::StringRef fma = t.isX86()       ? (f.vectorBits == 512   ? "VFMADD231PSZr"
                                             : f.vectorBits == 256 ? "VFMADD231PSYr"
                                                                   : "VFMADD231PSr")
                          : t.isAArch64() ? "FMLAv4f32"
                                          : "";
    f.fmaLatency = fmaLatencyOf(tm, sti, fma);
  }
  if (t.isX86() || t.isAArch64())
    for (const KnownCaches &known : kKnownCaches)
      if (sti.getCPU() == known.cpu) {
        l1 = known.l1Kib << 10;
        l2 = known.l2Kib << 10;
        break;
      }
  std::optional<unsigned> reportedL1 = sti.getCacheSize(0), reportedL2 = sti.getCacheSize(1);
  f.l1Bytes = reportedL1 ? *reportedL1 : l1;
  f.l2Bytes = reportedL2 ? *reportedL2 : l2;
  return f;
}

std::string verifyTargetFacts(const TargetFacts &f) {
  if (f.vectorBits < 0 || f.vectorBits > 2048 ||
      (f.vectorBits != 0 && (f.vectorBits < 32 || (f.vectorBits & (f.vectorBits - 1)) != 0)))
    return "vector-bits must be 0 (no vectors) or a power of two from 32 to 2048, not " +
           std::to_string(f.vectorBits);
  if (f.vectorRegisters < 0 || f.vectorRegisters > 256)
    return "vector-registers must be from 0 to 256, not " + std::to_string(f.vectorRegisters);
  if (f.indexBits != 32 && f.indexBits != 64)
    return "index-bits must be 32 or 64, not " + std::to_string(f.indexBits);
  if (f.fmaLatency < 1 || f.fmaLatency > 64)
    return "fma-latency must be from 1 to 64 cycles, not " + std::to_string(f.fmaLatency);
  if (f.l1Bytes < 0 || f.l2Bytes < 0)
    return "cache sizes cannot be negative";
  if (llvm::Expected<llvm::DataLayout> layout = llvm::DataLayout::parse(f.dataLayout); !layout)
    return "invalid data-layout '" + f.dataLayout + "': " + llvm::toString(layout.takeError());
  return "";
}

std::string pipelineOptionsFor(const TargetFacts &f) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "vector-bits=" << f.vectorBits << " vector-registers=" << f.vectorRegisters
     << " fpu=" << f.hasFpu << " fma=" << f.hasFma << " floor=" << f.hasFloor
     << " index-bits=" << f.indexBits
     << " data-layout=" << f.dataLayout << " l1-bytes=" << f.l1Bytes << " l2-bytes=" << f.l2Bytes
     << " lane-operands=" << f.laneOperands << " fma-latency=" << f.fmaLatency
     << " threads=" << f.threads;
  return s;
}

void printTargetFacts(const llvm::TargetMachine &tm, const TargetFacts &f, llvm::raw_ostream &os) {
  os << "triple: " << tm.getTargetTriple().str() << "\n"
     << "cpu: " << tm.getTargetCPU() << "\n"
     << "features: " << tm.getTargetFeatureString() << "\n"
     << "vector-bits: " << f.vectorBits << "\n"
     << "vector-registers: " << f.vectorRegisters << "\n"
     << "fpu: " << f.hasFpu << "\n"
     << "fma: " << f.hasFma << "\n"
     << "floor: " << f.hasFloor << "\n"
     << "pointer-bits: " << f.pointerBits << "\n"
     << "index-bits: " << f.indexBits << "\n"
     << "data-layout: " << f.dataLayout << "\n"
     << "l1-bytes: " << f.l1Bytes << "\n"
     << "l2-bytes: " << f.l2Bytes << "\n"
     << "lane-operands: " << f.laneOperands << "\n"
     << "fma-latency: " << f.fmaLatency << "\n"
     << "threads: " << f.threads << "\n"
     << "smc-pipeline: " << pipelineOptionsFor(f) << "\n";
}

} // namespace smc
