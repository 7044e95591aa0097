/*
 * gpu/vk_kernel.c — rt_vk_kernel_compile, rt_vk_kernel_free,
 * rt_vk_kernel_launch, rt_vk_kernel_launch_1d (spec/ffi/vk.sdn).
 *
 * Compile checks the SPIR-V (gpu/vk_spirv.c), builds a descriptor-set
 * layout of exactly the storage buffers the shader declares (set 0,
 * bindings 0..n-1) and the pipeline for the shader's own local size, so a
 * module the driver rejects fails here, not at the first launch.
 *
 * Local size. A launch names (lx, ly, lz). A dimension the shader fixes
 * (layout(local_size_x = 64)) must be launched with that size, or the
 * group count would not cover the range the caller asked for: -7. A
 * dimension the shader leaves to a specialisation constant
 * (layout(local_size_x_id = 0)) takes the launch's value: the kernel keeps
 * a few pipelines, one per local size seen, created on first use.
 *
 * A launch is synchronous: under the device lock it takes the device's one
 * descriptor set, records bind + dispatch + a compute-to-host barrier into
 * the device's command buffer, submits with the fence and waits, so
 * results are visible to rt_vk_buffer_download when it returns.
 */
#include <string.h>

#include "gpu/vk_internal.h"
#include "gpu/vk_spirv.h"
#include "runtime/mem.h"
#include "simplert/vk.h"

#define VARIANTS 4   /* pipelines kept per kernel (one per local size) */

typedef struct rtx_vk_kernel {
    rtx_vk_obj hdr;
    rtx_vk_device *d;           /* holds a reference */
    VkShaderModule module;
    VkDescriptorSetLayout dsl;
    VkPipelineLayout layout;
    rtx_spirv_info info;
    struct {
        uint32_t l[3];
        VkPipeline p;
    } var[VARIANTS];            /* under the device lock */
    uint32_t nvar, evict;
} rtx_vk_kernel;

static void kernel_destroy(rtx_vk_obj *o);
static int features_ok(const rtx_vk_device *d, const rtx_spirv_info *in);
static VkPipeline pipeline_for(rtx_vk_kernel *k, const uint32_t l[3], int32_t *err);
static int32_t dispatch(rtx_vk_kernel *k, rtx_vk_buffer **bufs, VkPipeline p,
                        const uint32_t groups[3]);

uint64_t rt_vk_kernel_compile(uint64_t device, const uint8_t *spirv, uint64_t len)
{
    if (spirv == NULL || !rtx_vk_ready())
        return 0;
    if (len < 20 || len % 4 != 0 || len > RTX_SPIRV_MAX_BYTES)
        return 0;
    rtx_vk_device *d = rtx_vk_acquire(&rtx_vk_devices, device);
    if (d == NULL)
        return 0;
    uint64_t h = 0;
    rtx_vk_kernel *k = NULL;
    /* An aligned copy: the driver reads 32-bit words, callers pass bytes. */
    uint32_t *code = rtx_malloc((size_t)len);
    if (code == NULL)
        goto out;
    memcpy(code, spirv, (size_t)len);
    rtx_spirv_info info;
    if (rtx_spirv_inspect(code, (size_t)len / 4, &info) != 0 || !features_ok(d, &info))
        goto out;
    k = rtx_calloc(1, sizeof *k);
    if (k == NULL)
        goto out;
    atomic_init(&k->hdr.refs, 1);
    k->hdr.destroy = kernel_destroy;
    k->d = d;
    rtx_vk_get(d);
    k->info = info;
    const rtx_vk_api *a = d->vk;
    VkShaderModuleCreateInfo smi = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = (size_t)len,
        .pCode = code,
    };
    VkDescriptorSetLayoutBinding b[RTX_VK_MAX_BINDINGS];
    for (uint32_t i = 0; i < info.nbindings; i++)
        b[i] = (VkDescriptorSetLayoutBinding){i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                                              VK_SHADER_STAGE_COMPUTE_BIT, NULL};
    VkDescriptorSetLayoutCreateInfo dli = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .bindingCount = info.nbindings,
        .pBindings = info.nbindings ? b : NULL,
    };
    if (a->vkCreateShaderModule(d->dev, &smi, NULL, &k->module) != VK_SUCCESS) {
        k->module = VK_NULL_HANDLE;
        goto fail;
    }
    if (a->vkCreateDescriptorSetLayout(d->dev, &dli, NULL, &k->dsl) != VK_SUCCESS) {
        k->dsl = VK_NULL_HANDLE;
        goto fail;
    }
    VkPipelineLayoutCreateInfo pli = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &k->dsl,
    };
    if (a->vkCreatePipelineLayout(d->dev, &pli, NULL, &k->layout) != VK_SUCCESS) {
        k->layout = VK_NULL_HANDLE;
        goto fail;
    }
    int32_t err;
    pthread_mutex_lock(&d->lock);
    VkPipeline p = pipeline_for(k, info.local, &err);
    pthread_mutex_unlock(&d->lock);
    if (p == VK_NULL_HANDLE)
        goto fail;
    h = rtx_vk_publish(&rtx_vk_kernels, k);
    k = NULL;
fail:
    if (k)
        kernel_destroy(&k->hdr);
out:
    rtx_free(code);
    rtx_vk_put(d);
    return h;
}

int32_t rt_vk_kernel_free(uint64_t pipeline)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    return rtx_vk_unpublish(&rtx_vk_kernels, pipeline);
}

int32_t rt_vk_kernel_launch(uint64_t pipeline, const uint64_t *buffers, uint64_t count,
                            uint32_t gx, uint32_t gy, uint32_t gz, uint32_t lx, uint32_t ly,
                            uint32_t lz)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    if ((buffers == NULL && count > 0) || count > RTX_VK_MAX_BINDINGS)
        return RTX_GPU_INVALID_PARAMETER;
    rtx_vk_kernel *k = rtx_vk_acquire(&rtx_vk_kernels, pipeline);
    if (k == NULL)
        return RTX_GPU_INVALID_HANDLE;
    rtx_vk_buffer *bufs[RTX_VK_MAX_BINDINGS] = {0};
    int32_t r = RTX_GPU_OK;
    for (uint64_t i = 0; i < count && r == RTX_GPU_OK; i++) {
        bufs[i] = rtx_vk_acquire(&rtx_vk_buffers, buffers[i]);
        if (bufs[i] == NULL || bufs[i]->d != k->d)   /* a buffer of another device too */
            r = RTX_GPU_INVALID_HANDLE;
    }
    const uint32_t g[3] = {gx, gy, gz}, l[3] = {lx, ly, lz};
    const VkPhysicalDeviceLimits *lim = &k->d->limits;
    uint32_t groups[3];
    if (r == RTX_GPU_OK && (lx == 0 || ly == 0 || lz == 0 || count < k->info.nbindings))
        r = RTX_GPU_INVALID_PARAMETER;
    if (r == RTX_GPU_OK && (gx == 0 || gy == 0 || gz == 0))
        goto done;   /* an empty range: nothing to dispatch */
    for (int i = 0; i < 3 && r == RTX_GPU_OK; i++) {
        uint64_t n = ((uint64_t)g[i] + l[i] - 1) / l[i];
        if (n > lim->maxComputeWorkGroupCount[i] || l[i] > lim->maxComputeWorkGroupSize[i])
            r = RTX_GPU_INVALID_PARAMETER;
        groups[i] = (uint32_t)n;
    }
    if (r == RTX_GPU_OK &&
        (uint64_t)lx * ly * lz > lim->maxComputeWorkGroupInvocations)
        r = RTX_GPU_INVALID_PARAMETER;
    if (r == RTX_GPU_OK) {
        pthread_mutex_lock(&k->d->lock);
        VkPipeline p = pipeline_for(k, l, &r);
        if (p != VK_NULL_HANDLE)
            r = dispatch(k, bufs, p, groups);
        pthread_mutex_unlock(&k->d->lock);
    }
done:
    for (uint64_t i = 0; i < count; i++)
        rtx_vk_put(bufs[i]);
    rtx_vk_put(k);
    return r;
}

int32_t rt_vk_kernel_launch_1d(uint64_t pipeline, const uint64_t *buffers, uint64_t count,
                               uint32_t global_size)
{
    return rt_vk_kernel_launch(pipeline, buffers, count, global_size, 1, 1, 64, 1, 1);
}

/* ---- helpers ---- */

static int features_ok(const rtx_vk_device *d, const rtx_spirv_info *in)
{
    return (!in->uses_int64 || d->features.shaderInt64) &&
           (!in->uses_int16 || d->features.shaderInt16) &&
           (!in->uses_float64 || d->features.shaderFloat64) &&
           (!in->uses_int64_atomics || d->int64_atomics);
}

/* The pipeline for local size l, created on first use (device lock held).
 * VK_NULL_HANDLE with *err = -7 when a fixed dimension differs, -4 when
 * the driver rejects the module. */
static VkPipeline pipeline_for(rtx_vk_kernel *k, const uint32_t l[3], int32_t *err)
{
    const rtx_spirv_info *in = &k->info;
    VkSpecializationMapEntry map[3];
    uint32_t vals[3], nmap = 0;
    for (uint32_t i = 0; i < 3; i++) {
        if (in->spec_id[i] == RTX_SPIRV_NO_SPEC) {
            if (l[i] != in->local[i]) {
                *err = RTX_GPU_INVALID_PARAMETER;
                return VK_NULL_HANDLE;
            }
            continue;
        }
        map[nmap] = (VkSpecializationMapEntry){in->spec_id[i], nmap * 4u, 4};
        vals[nmap++] = l[i];
    }
    for (uint32_t i = 0; i < k->nvar; i++)
        if (memcmp(k->var[i].l, l, sizeof k->var[i].l) == 0)
            return k->var[i].p;
    const rtx_vk_api *a = k->d->vk;
    VkSpecializationInfo spec = {nmap, map, nmap * 4u, vals};
    VkComputePipelineCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage = {
            .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
            .stage = VK_SHADER_STAGE_COMPUTE_BIT,
            .module = k->module,
            .pName = "main",
            .pSpecializationInfo = nmap ? &spec : NULL,
        },
        .layout = k->layout,
    };
    VkPipeline p;
    if (a->vkCreateComputePipelines(k->d->dev, VK_NULL_HANDLE, 1, &ci, NULL, &p) != VK_SUCCESS) {
        *err = RTX_GPU_COMPILATION_FAILED;
        return VK_NULL_HANDLE;
    }
    uint32_t slot = k->nvar;
    if (slot == VARIANTS) {   /* full: replace round-robin (no launch is using it) */
        slot = k->evict;
        k->evict = (k->evict + 1) % VARIANTS;
        a->vkDestroyPipeline(k->d->dev, k->var[slot].p, NULL);
    } else {
        k->nvar++;
    }
    memcpy(k->var[slot].l, l, sizeof k->var[slot].l);
    k->var[slot].p = p;
    return p;
}

/* Bind, dispatch, wait (device lock held). */
static int32_t dispatch(rtx_vk_kernel *k, rtx_vk_buffer **bufs, VkPipeline p,
                        const uint32_t groups[3])
{
    rtx_vk_device *d = k->d;
    const rtx_vk_api *a = d->vk;
    VkDescriptorSet set = VK_NULL_HANDLE;
    uint32_t n = k->info.nbindings;
    if (n > 0) {
        VkDescriptorSetAllocateInfo sai = {
            .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
            .descriptorPool = d->launch_pool,
            .descriptorSetCount = 1,
            .pSetLayouts = &k->dsl,
        };
        if (a->vkAllocateDescriptorSets(d->dev, &sai, &set) != VK_SUCCESS)
            return RTX_GPU_ALLOCATION_FAILED;
        VkDescriptorBufferInfo bi[RTX_VK_MAX_BINDINGS];
        VkWriteDescriptorSet wr[RTX_VK_MAX_BINDINGS];
        for (uint32_t i = 0; i < n; i++) {
            bi[i] = (VkDescriptorBufferInfo){bufs[i]->buf, 0, VK_WHOLE_SIZE};
            wr[i] = (VkWriteDescriptorSet){
                .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                .dstSet = set,
                .dstBinding = i,
                .descriptorCount = 1,
                .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                .pBufferInfo = &bi[i],
            };
        }
        a->vkUpdateDescriptorSets(d->dev, n, wr, 0, NULL);
    }
    int32_t r = RTX_GPU_EXECUTION_FAILED;
    VkCommandBufferBeginInfo cbi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    if (a->vkBeginCommandBuffer(d->cmd, &cbi) != VK_SUCCESS)
        goto out;
    a->vkCmdBindPipeline(d->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p);
    if (n > 0)
        a->vkCmdBindDescriptorSets(d->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, k->layout, 0, 1,
                                   &set, 0, NULL);
    a->vkCmdDispatch(d->cmd, groups[0], groups[1], groups[2]);
    /* Make the shader's writes visible to the host before the fence. */
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
    };
    a->vkCmdPipelineBarrier(d->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0, NULL, 0, NULL);
    if (a->vkEndCommandBuffer(d->cmd) != VK_SUCCESS)
        goto out;
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .commandBufferCount = 1,
        .pCommandBuffers = &d->cmd,
    };
    if (a->vkQueueSubmit(d->queue, 1, &si, d->fence) != VK_SUCCESS)
        goto out;
    VkResult w = a->vkWaitForFences(d->dev, 1, &d->fence, VK_TRUE, UINT64_MAX);
    a->vkResetFences(d->dev, 1, &d->fence);
    if (w == VK_SUCCESS)
        r = RTX_GPU_OK;
out:
    a->vkResetCommandBuffer(d->cmd, 0);
    if (n > 0)
        a->vkResetDescriptorPool(d->dev, d->launch_pool, 0);
    return r;
}

static void kernel_destroy(rtx_vk_obj *o)
{
    rtx_vk_kernel *k = (rtx_vk_kernel *)o;
    const rtx_vk_api *a = k->d->vk;
    for (uint32_t i = 0; i < k->nvar; i++)
        a->vkDestroyPipeline(k->d->dev, k->var[i].p, NULL);
    a->vkDestroyPipelineLayout(k->d->dev, k->layout, NULL);
    a->vkDestroyDescriptorSetLayout(k->d->dev, k->dsl, NULL);
    a->vkDestroyShaderModule(k->d->dev, k->module, NULL);
    rtx_vk_put(k->d);
    rtx_free(k);
}
